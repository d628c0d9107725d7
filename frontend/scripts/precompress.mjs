// Writes a .gz beside every compressible file of dist (scripts, styles, HTML, SVG, JSON, fonts without their
// own compression), at the best level, so the server sends the embedded assets compressed without compressing
// them on every request (internal/webui serves name.gz to a client accepting gzip). Run after `vite build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.map', '.ttf', '.otf']);
const minSize = 1024; // the server's own threshold (internal/httpapi/compress.go)

let files = 0, before = 0, after = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      walk(p);
      continue;
    }
    // index.html is read by the server itself (every deep link answers it), so it stays plain.
    if (!compressible.has(extname(name)) || name === 'index.html') continue;
    const data = readFileSync(p);
    if (data.length < minSize) continue;
    const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= data.length) continue;
    writeFileSync(p + '.gz', gz);
    files++;
    before += data.length;
    after += gz.length;
  }
}
walk(dist);
console.log(`precompress: ${files} files, ${(before / 1024).toFixed(0)} KB -> ${(after / 1024).toFixed(0)} KB gzipped`);
