// A feature imports shared code (components/, lib/, api/, auth/, i18n/), never another feature's files: what two
// features need goes to a shared place. This test reads every import specifier under src/features and fails on
// one that resolves into a different feature's folder, naming the file and the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const featuresDir = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

// Static imports and re-exports (`from '...'`), side-effect imports (`import '...'`), dynamic imports and vi.mock.
const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bvi\.mock\(\s*)['"]([^'"]+)['"]/g;

/** The feature a path inside src/features belongs to, or undefined for a path outside it. */
function featureOf(path: string): string | undefined {
  const rel = relative(featuresDir, path);
  if (rel.startsWith('..') || rel === '') return undefined;
  return rel.split(sep)[0];
}

/** Imports of `source` (a file's text at `file`) that reach into a feature other than the file's own. */
export function crossFeatureImports(file: string, source: string): string[] {
  const own = featureOf(file);
  const bad: string[] = [];
  for (const m of source.matchAll(specifier)) {
    const spec = m[1];
    let target: string | undefined;
    if (spec.startsWith('.')) target = featureOf(resolve(dirname(file), spec));
    else {
      const hit = /(?:^|\/)features\/([^/]+)/.exec(spec);
      target = hit?.[1];
    }
    if (target && target !== own) bad.push(spec);
  }
  return bad;
}

describe('feature boundaries', () => {
  it('recognises an import of another feature, relative or by path', () => {
    const file = join(featuresDir, 'map', 'MapPage.tsx');
    expect(crossFeatureImports(file, "import { a } from '../register/data';")).toEqual(['../register/data']);
    expect(crossFeatureImports(file, "const m = await import('../../features/heatmap/grid');")).toEqual(['../../features/heatmap/grid']);
    expect(crossFeatureImports(file, "vi.mock('../review/reviewApi', () => ({}));")).toEqual(['../review/reviewApi']);
    expect(crossFeatureImports(file, "import './map.css';\nimport { b } from './tree';\nimport { c } from '../../lib/register/data';")).toEqual([]);
  });

  it('no feature imports the files of another feature', () => {
    const violations: string[] = [];
    // Files directly in src/features (this test) belong to no feature.
    for (const file of sourceFiles(featuresDir).filter((f) => dirname(f) !== featuresDir)) {
      for (const spec of crossFeatureImports(file, readFileSync(file, 'utf8'))) violations.push(`${relative(featuresDir, file)} imports ${spec}`);
    }
    expect(violations).toEqual([]);
  });
});
