// Data of the home screens, with a bounded number of requests: per unit of the user (a director has one to
// three) the leaves and the register rows, the campaign progress, and the thread only of the returned leaves.
import { loadLeaves } from '../../api/campaign';
import { api } from '../../api/client';
import type { Comment, Node, Progress } from '../../api/schema.gen';
import { registerAll, worstLevel } from '../../lib/register/leaves';

export type LeafState = 'none' | 'draft' | 'returned' | 'submitted' | 'approved';
export const LEAF_STATES: LeafState[] = ['returned', 'draft', 'none', 'submitted', 'approved'];

export interface MyLeaf {
  code: string;
  title: string;
  units: string[];
  state: LeafState;
  level: string;
  /** What the assessment still lacks before submission (from the list of leaves; absent when it could not be read). */
  missingCount?: number;
  complete?: boolean;
}

export interface Returned {
  leaf: MyLeaf;
  comment?: Comment;
}

export interface MyWork {
  leaves: MyLeaf[];
  returned: Returned[];
  progress: Progress | null;
}

/** How many returned leaves get their latest observation fetched (one small request each). */
export const RETURNED_DETAIL_LIMIT = 20;

async function leavesOfUnit(cycle: string, unit: string, signal?: AbortSignal): Promise<Node[]> {
  const out: Node[] = [];
  for (let page = 1; page <= 20; page++) {
    const p = await api.call<{ items: Node[]; total: number }>('GET /api/v1/cycles/:cycle/nodes', {
      params: { cycle },
      query: { unit, leaf: true, page, page_size: 1000 },
      signal,
    });
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) break;
  }
  return out;
}

/** The leaves of the user's units with their assessment state, and the RPCT's latest return observation. */
export async function loadMyWork(cycle: string, units: string[], signal?: AbortSignal): Promise<MyWork> {
  const [progress, nodes, rows, status] = await Promise.all([
    api.call<Progress>('GET /api/v1/cycles/:cycle/progress', { params: { cycle }, signal }).catch(() => null),
    Promise.all(units.map((u) => leavesOfUnit(cycle, u, signal))),
    Promise.all(units.map((u) => registerAll(cycle, { unit: u }, signal))),
    // State and completeness per leaf in one request (a draft without risks has no register row).
    loadLeaves(cycle, { mine: true }, signal).catch(() => null),
  ]);
  const byCode = new Map<string, MyLeaf>();
  for (const n of nodes.flat()) {
    if (!byCode.has(n.code)) byCode.set(n.code, { code: n.code, title: n.title, units: n.units, state: 'none', level: '' });
  }
  const levels = new Map<string, string[]>();
  for (const r of rows.flat()) {
    const leaf = byCode.get(r.node ?? '');
    if (!leaf) continue;
    leaf.state = (r.state as LeafState) || 'draft';
    const l = levels.get(leaf.code) ?? [];
    l.push(r.inherent_level ?? '');
    levels.set(leaf.code, l);
  }
  for (const [code, l] of levels) byCode.get(code)!.level = worstLevel(l);
  for (const st of status ?? []) {
    const leaf = byCode.get(st.code);
    if (!leaf) continue;
    leaf.state = st.state as LeafState;
    leaf.missingCount = st.missing_count;
    leaf.complete = st.complete;
  }
  const leaves = [...byCode.values()];
  const returnedLeaves = leaves.filter((l) => l.state === 'returned');
  const returned = await Promise.all(
    returnedLeaves.map(async (leaf, i): Promise<Returned> => {
      if (i >= RETURNED_DETAIL_LIMIT) return { leaf };
      try {
        const r = await api.call<{ items: Comment[] }>('GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments', { params: { cycle, code: leaf.code }, signal });
        const comment = [...(r.items ?? [])].reverse().find((c) => c.kind === 'return');
        return { leaf, comment };
      } catch {
        return { leaf };
      }
    }),
  );
  return { leaves, returned, progress };
}

export function countByState(leaves: MyLeaf[]): Record<LeafState, number> {
  const out: Record<LeafState, number> = { none: 0, draft: 0, returned: 0, submitted: 0, approved: 0 };
  for (const l of leaves) out[l.state] = (out[l.state] ?? 0) + 1;
  return out;
}
