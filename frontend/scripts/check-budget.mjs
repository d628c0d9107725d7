// Bundle budget (issue: JavaScript shipped for the first screen under 300 KB gzipped). Reads dist/index.html,
// sums the gzipped size of the entry script and every module it preloads, and fails the build when over.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(dist, f))).length;
const firstBytes = first.reduce((n, f) => n + gz(f), 0);
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const allBytes = all.reduce((n, f) => n + gz(join('assets', f)), 0);
const css = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(join('assets', f)), 0);
const kb = (n) => (n / 1024).toFixed(1);
const budget = 300 * 1024;
console.log(`budget: first screen JS ${kb(firstBytes)} KB gzipped in ${first.length} files (budget 300 KB); all JS ${kb(allBytes)} KB in ${all.length} chunks; CSS ${kb(css)} KB`);
if (firstBytes > budget) {
  console.error(`budget exceeded: first-screen JavaScript is ${kb(firstBytes)} KB gzipped, over 300 KB`);
  process.exit(1);
}
