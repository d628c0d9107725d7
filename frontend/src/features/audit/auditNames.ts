// The words behind the codes of the records on screen: for each cycle the records mention, its leaves' titles,
// its units' names (from the process map) and its methodology and catalogue (lib/lookups); people by full name.
// Loaded once per cycle while the page is open; what fails to load leaves the code visible.
import { useEffect, useMemo, useState } from 'react';
import type { TreeNode } from '../../api/schema.gen';
import { noLookups, type DiffLookups } from '../../lib/assessmentDiff';
import { loadLookups } from '../../lib/lookups';
import { loadTree } from '../../lib/register/data';
import { cycleOf, type AuditItem, type AuditNames } from './auditSentence';

interface CycleWords {
  leaves: Map<string, string>;
  units: Map<string, string>;
  lookups: DiffLookups;
}

function titles(nodes: TreeNode[], into: Map<string, string>) {
  for (const n of nodes) {
    into.set(n.code, n.title);
    if (n.children?.length) titles(n.children, into);
  }
}

export async function loadCycleWords(cycle: string): Promise<CycleWords> {
  const [tree, lookups] = await Promise.all([loadTree(cycle).catch(() => null), loadLookups(cycle).catch(() => null)]);
  const leaves = new Map<string, string>();
  if (tree) titles(tree.nodes ?? [], leaves);
  return { leaves, units: new Map((tree?.units ?? []).map((u) => [u.code, u.title])), lookups: lookups ?? noLookups };
}

/** The names for the records shown; people maps a user id to the full name (from the users list or the trail). */
export function useAuditNames(items: AuditItem[] | undefined, people: ReadonlyMap<string, string>): AuditNames {
  const [words, setWords] = useState<ReadonlyMap<string, CycleWords>>(() => new Map());
  const cycles = useMemo(() => [...new Set((items ?? []).map(cycleOf).filter((c) => /^\d{4}-\d{4}$/.test(c)))].sort(), [items]);
  const missing = cycles.filter((c) => !words.has(c)).join(',');
  useEffect(() => {
    if (!missing) return;
    let live = true;
    for (const cycle of missing.split(',')) {
      void loadCycleWords(cycle).then((w) => {
        if (live) setWords((m) => (m.has(cycle) ? m : new Map(m).set(cycle, w)));
      });
    }
    return () => {
      live = false;
    };
  }, [missing]);
  return useMemo<AuditNames>(
    () => ({
      leaf: (cycle, code) => words.get(cycle)?.leaves.get(code),
      unit: (cycle, code) => words.get(cycle)?.units.get(code),
      user: (id) => people.get(id),
      lookups: (cycle) => words.get(cycle)?.lookups,
    }),
    [words, people],
  );
}
