// Build-time purge of Bootstrap Italia's stylesheet (issue #19: its 585 KB bundle, 88 KB gzipped, is render-blocking
// on every page and ~95% of it was unused). The interface uses a small part of Bootstrap Italia: the stylesheet
// keeps only the rules whose class names the interface's code can produce. Rules are kept when every class of a
// selector (outside :not()) is a word of the interface's sources, or starts with a word ending in "-" there (a
// class built at run time, `level-${code}` or 'text-' + x, keeps every class with that prefix); element, attribute
// and :root rules, custom properties, @font-face and @keyframes stay. The sources read are the app's own
// (src/**/*.ts(x), without tests) and the few library modules that add classes of their own (design-react-kit's
// and reactstrap's dialog), so a class a new screen starts using is kept by the next build, and the stylesheet's
// hash follows its content. The development server (vite dev) serves the whole stylesheet.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import postcss, { type Rule, type Root } from 'postcss';
import type { Plugin } from 'vite';

/** The stylesheet purged: Bootstrap Italia's compiled bundle. */
const target = /bootstrap-italia\/dist\/css\/bootstrap-italia(\.min)?\.css$/;

/** Library modules that put classes on the page (the dialog: backdrop, fade, show, modal-open on <body>). */
const libraryModules = [
  'design-react-kit/dist/Modal/Modal.js',
  'design-react-kit/dist/Modal/ModalBody.js',
  'design-react-kit/dist/Modal/ModalFooter.js',
  'design-react-kit/dist/Modal/ModalHeader.js',
  'design-react-kit/node_modules/reactstrap/esm/Modal.js',
  'design-react-kit/node_modules/reactstrap/esm/ModalBody.js',
  'design-react-kit/node_modules/reactstrap/esm/ModalFooter.js',
  'design-react-kit/node_modules/reactstrap/esm/ModalHeader.js',
  'design-react-kit/node_modules/reactstrap/esm/Fade.js',
  'design-react-kit/node_modules/reactstrap/esm/utils.js',
];

/** Classes set outside the sources read (kept whatever the sources say). */
const safelist = ['modal-', 'fade', 'show', 'btn-close', 'visually-hidden', 'visually-hidden-focusable'];

function sourceFiles(dir: string, pattern = /\.(tsx?|html)$/): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'test') out.push(...sourceFiles(p, pattern));
    } else if (pattern.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

/** The words of the interface's sources: the classes they may set, and the prefixes of classes built at run time. */
export function usedWords(texts: string[]): { words: Set<string>; prefixes: string[] } {
  const words = new Set<string>(safelist.filter((s) => !s.endsWith('-')));
  const prefixes = new Set<string>(safelist.filter((s) => s.endsWith('-')));
  for (const text of texts) {
    for (const m of text.matchAll(/[A-Za-z0-9_-]+/g)) {
      const w = m[0];
      if (w.endsWith('-') && w.length > 2) prefixes.add(w);
      else words.add(w);
    }
  }
  return { words, prefixes: [...prefixes] };
}

/** Whether a selector can match what the interface renders: every class in it (outside :not()) is used. */
export function selectorUsed(selector: string, used: { words: Set<string>; prefixes: string[] }): boolean {
  // a class inside :not(...) only narrows the selector: leave it out
  let s = selector;
  for (let i = 0; i < 3 && s.includes(':not('); i++) s = s.replace(/:not\((?:[^()]|\([^()]*\))*\)/g, '');
  for (const m of s.matchAll(/\.((?:\\.|[A-Za-z0-9_-])+)/g)) {
    const cls = m[1].replace(/\\(.)/g, '$1');
    if (used.words.has(cls)) continue;
    if (used.prefixes.some((p) => cls.startsWith(p))) continue;
    return false;
  }
  return true;
}

/** Removes from a stylesheet the rules no used selector keeps, the at-rules left empty, and the typefaces and
 * animations nothing left names (Video.js's icon font alone, inlined, was 7 KB of the first screen's CSS). */
export function purge(root: Root, used: { words: Set<string>; prefixes: string[] }, styleWords: Set<string> = new Set()): void {
  root.walkRules((rule: Rule) => {
    // keyframe steps (from, to, 50%) are not selectors
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test((rule.parent as { name: string }).name)) return;
    const kept = rule.selectors.filter((sel) => selectorUsed(sel, used));
    if (kept.length === 0) rule.remove();
    else if (kept.length !== rule.selectors.length) rule.selectors = kept;
  });
  // at-rules emptied (a @media whose rules all went), innermost first
  let removed = true;
  while (removed) {
    removed = false;
    root.walkAtRules((at) => {
      if (at.nodes && at.nodes.length === 0 && !/font-face|page/i.test(at.name)) {
        at.remove();
        removed = true;
      }
    });
  }
  dropUnnamed(root, new Set([...used.words, ...styleWords]));
}

const unquote = (v: string) => v.trim().replace(/^(['"])(.*)\1$/, '$2');

/** Removes the @font-face and @keyframes that no declaration left in the stylesheet names, nor any word of the
 * interface's sources and stylesheets (a typeface or an animation named there keeps its rule). */
export function dropUnnamed(root: Root, words: Set<string>): void {
  const named = new Set<string>();
  root.walkDecls((d) => {
    if (d.parent?.type === 'atrule' && /font-face/i.test((d.parent as { name: string }).name)) return;
    if (/^(font|font-family|animation|animation-name)$/i.test(d.prop) || d.prop.startsWith('--')) {
      for (const part of d.value.split(',')) named.add(unquote(part));
      for (const m of d.value.matchAll(/[A-Za-z0-9_-]+/g)) named.add(m[0]);
    }
  });
  const keep = (name: string) => named.has(name) || words.has(name) || name.split(/\s+/).every((w) => words.has(w));
  root.walkAtRules((at) => {
    if (/^font-face$/i.test(at.name)) {
      const family = at.nodes?.find((n) => n.type === 'decl' && n.prop.toLowerCase() === 'font-family');
      if (family && family.type === 'decl' && !keep(unquote(family.value))) at.remove();
    } else if (/keyframes$/i.test(at.name) && !keep(unquote(at.params))) {
      at.remove();
    }
  });
}

export function purgeBootstrapItalia(frontendDir: string): Plugin {
  let used: { words: Set<string>; prefixes: string[] } | null = null;
  const words = () => {
    if (!used) {
      const files = [...sourceFiles(join(frontendDir, 'src')), join(frontendDir, 'index.html')];
      for (const m of libraryModules) {
        const p = join(frontendDir, 'node_modules', m);
        if (existsSync(p)) files.push(p);
      }
      used = usedWords(files.map((f) => readFileSync(f, 'utf8')));
    }
    return used;
  };
  return {
    name: 'argine-purge-bootstrap-italia',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!target.test(id.split('?')[0])) return null;
      const root = postcss.parse(code, { from: id });
      // the interface's own stylesheets may name Bootstrap Italia's typefaces and animations
      const styles = sourceFiles(join(frontendDir, 'src'), /\.css$/).map((f) => readFileSync(f, 'utf8'));
      purge(root, words(), usedWords(styles).words);
      return { code: root.toString(), map: null };
    },
  };
}
