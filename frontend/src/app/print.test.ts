// The print rules of styles.css (jsdom lays nothing out, so this checks the rules themselves): printing any page
// leaves out the shell's header, navigation, footer, skip links and buttons, and opens the scroll boxes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'styles.css'), 'utf8');

function printBlock(): string {
  const start = css.indexOf('@media print {');
  expect(start).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = css.indexOf('{', start); i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) return css.slice(start, i + 1);
  }
  throw new Error('unterminated @media print');
}

describe('print CSS', () => {
  const block = printBlock();
  const hidden = /([^{}]+)\{\s*display:\s*none\s*!important;?\s*\}/.exec(block)?.[1] ?? '';

  it('hides the shell around the content', () => {
    for (const sel of ['.skiplinks', '.it-header-wrapper', '.app-sidebar', '.it-footer', '.btn', 'form[role="search"]']) expect(hidden).toContain(sel);
  });

  it('prints tables whole, headings repeated, and the map one process per sheet', () => {
    expect(block).toMatch(/\.table-responsive[^{]*\{[^}]*overflow:\s*visible/);
    expect(block).toMatch(/thead\s*\{\s*display:\s*table-header-group/);
    expect(block).toMatch(/\.tree-process \+ \.tree-process[^{]*\{[^}]*break-before:\s*page/);
  });
});
