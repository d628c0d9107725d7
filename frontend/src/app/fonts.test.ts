// The typeface's weights: every weight main.tsx declares is one vite.config.ts preloads with the page. A weight
// declared but not preloaded arrives after the first paint and redraws the text set in it, moving what follows
// (the home page's welcome line in the light 300 shifted the page by 0.009-0.021, issue #19).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const source = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('typeface weights', () => {
  it('declares only weights that are preloaded', () => {
    const declared = [...source('../main.tsx').matchAll(/@fontsource\/titillium-web\/(\d+)\.css/g)].map((m) => m[1]).sort();
    const preload = source('../../vite.config.ts').match(/titillium-web-latin-\(([\d|]+)\)-normal/);
    expect(preload, 'the preload plugin names the weights it preloads').not.toBeNull();
    expect(declared).toEqual(preload![1].split('|').sort());
  });
});
