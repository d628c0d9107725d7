// i18n completeness: every literal key the source passes to t() exists in the Italian resources, in the
// namespace the call resolves to, and no namespace file is empty. A missing key would show the raw key to users.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { italian } from './index';

const srcDir = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(tsx?)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.gen.ts') ? [p] : [];
  });
}

function lookup(ns: string, key: string): unknown {
  let node: unknown = italian[ns];
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A key exists as a string, or as i18next's plural forms (key_one and key_other) for t(key, { count }). */
function has(ns: string, key: string): boolean {
  if (typeof lookup(ns, key) === 'string') return true;
  return typeof lookup(ns, `${key}_one`) === 'string' && typeof lookup(ns, `${key}_other`) === 'string';
}

/** Keys used by a file: t('key'), t('ns:key'), i18nKey="key"; the default namespace is the one passed to useTranslation. */
export function keysUsed(code: string): Array<{ ns: string; key: string }> {
  const defaultNs = /useTranslation\(\s*'([\w-]+)'/.exec(code)?.[1] ?? 'common';
  const found: Array<{ ns: string; key: string }> = [];
  const re = /\bt\(\s*'([^'$`]+)'|i18nKey="([^"]+)"/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const raw = m[1] ?? m[2];
    const [ns, key] = raw.includes(':') ? (raw.split(':', 2) as [string, string]) : [defaultNs, raw];
    found.push({ ns, key });
  }
  return found;
}

describe('Italian translations', () => {
  it('has the shared namespaces', () => {
    expect(Object.keys(italian)).toEqual(expect.arrayContaining(['common', 'errors']));
    for (const [ns, content] of Object.entries(italian)) expect(Object.keys(content).length, ns).toBeGreaterThan(0);
  });

  it('defines every key the source uses', () => {
    const missing: string[] = [];
    let count = 0;
    for (const file of sourceFiles(srcDir)) {
      for (const { ns, key } of keysUsed(readFileSync(file, 'utf8'))) {
        count++;
        if (!has(ns, key)) missing.push(`${relative(srcDir, file)}: ${ns}:${key}`);
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('translates every error code the API documents or the shell relies on', () => {
    for (const code of ['version_conflict', 'four_eyes', 'transition_not_allowed', 'invalid_credentials', 'too_many_attempts', 'network_error', 'forbidden']) {
      expect(has('errors', code), code).toBe(true);
    }
  });

  it('finds keys in the shapes the source uses', () => {
    expect(keysUsed("const { t } = useTranslation('review'); t('a.b'); t('common:states.draft'); t(`x.${y}`)")).toEqual([
      { ns: 'review', key: 'a.b' },
      { ns: 'common', key: 'states.draft' },
    ]);
  });
});
