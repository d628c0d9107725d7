// The build-time purge of Bootstrap Italia's stylesheet (scripts/purge-css.ts): a typeface or an animation that
// nothing left in the stylesheet names goes with the rules that used it (Video.js's inlined icon font was 7 KB of
// the first screen's gzipped CSS), one still named stays.
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { purge, usedWords } from '../../scripts/purge-css';

const css = `
@font-face { font-family: VideoJS; src: url(data:font/woff;base64,AAAA) format("woff"); }
@font-face { font-family: "Titillium Web"; src: url(t.woff2); }
@font-face { font-family: "Own Face"; src: url(o.woff2); }
@keyframes vjs-spin { from { opacity: 0 } to { opacity: 1 } }
@keyframes spinnerAnim { from { opacity: 0 } to { opacity: 1 } }
@keyframes viaVariable { from { opacity: 0 } to { opacity: 1 } }
@keyframes ownAnimation { from { opacity: 0 } to { opacity: 1 } }
body { font-family: var(--font), "Titillium Web", sans-serif; }
.vjs-icon { font-family: VideoJS; animation: vjs-spin 1s; }
.progress-spinner { animation: spinnerAnim .75s linear infinite; }
:root { --pulse: viaVariable 1s; }
`;

function purged(sources: string[], styles: string[] = []): string {
  const root = postcss.parse(css);
  purge(root, usedWords(sources), usedWords(styles).words);
  return root.toString();
}

describe('purge of Bootstrap Italia', () => {
  it('drops the typefaces and animations only purged rules named', () => {
    const out = purged(["<div className='progress-spinner' />"]);
    expect(out).not.toContain('VideoJS');
    expect(out).not.toContain('vjs-spin');
    expect(out).toContain('font-family: "Titillium Web"; src');
    expect(out).toContain('@keyframes spinnerAnim');
    expect(out).toContain('@keyframes viaVariable');
    expect(out).not.toContain('Own Face');
    expect(out).not.toContain('@keyframes ownAnimation');
  });

  it("keeps those the interface's sources or stylesheets name", () => {
    const out = purged(["<i className='vjs-icon' />"], ['.mine { font-family: "Own Face"; animation: ownAnimation 1s; }']);
    expect(out).toContain('VideoJS');
    expect(out).toContain('@keyframes vjs-spin');
    expect(out).toContain('Own Face');
    expect(out).toContain('@keyframes ownAnimation');
  });
});
