// The process map as data: its filters in the URL, which nodes a filter keeps (the matches and, as context,
// their ancestors) and the assessment state of each leaf read from the register rows (one request for the whole
// register, never one per leaf).
import type { LeafStatus as ApiLeafStatus, TreeNode } from '../../api/schema.gen';
import { fold, levelRank, words, type RiskLevelDef, type Row } from '../../lib/register/data';

export interface MapFilters {
  q: string;
  unit: string;
  risk_area: string;
  objective: string;
  /** '*', '**' or 'none' (unmarked) */
  marker: string;
}

export const emptyMapFilters: MapFilters = { q: '', unit: '', risk_area: '', objective: '', marker: '' };
const mapKeys: Array<keyof MapFilters> = ['q', 'unit', 'risk_area', 'objective', 'marker'];

export interface MapQuery extends MapFilters {
  /** the selected node, shown in the detail panel */
  node: string;
}

export function parseMapQuery(sp: URLSearchParams): MapQuery {
  const q: MapQuery = { ...emptyMapFilters, node: sp.get('node')?.trim() ?? '' };
  for (const k of mapKeys) q[k] = sp.get(k)?.trim() ?? '';
  if (!['', '*', '**', 'none'].includes(q.marker)) q.marker = '';
  return q;
}

export function toMapParams(q: Partial<MapQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of mapKeys) {
    const v = q[k]?.trim();
    if (v) sp.set(k, v);
  }
  if (q.node) sp.set('node', q.node);
  return sp;
}

export function hasFilter(f: MapFilters): boolean {
  return mapKeys.some((k) => f[k] !== '');
}

/** Whether a node itself meets the filters; text: every word in code, title or note (as the API's search). */
export function nodeMatches(n: TreeNode, f: MapFilters, ws = words(f.q)): boolean {
  if (f.unit && !(n.units ?? []).includes(f.unit)) return false;
  if (f.risk_area && !(n.risk_areas ?? []).includes(f.risk_area)) return false;
  if (f.objective && !(n.strategic_objectives ?? []).includes(f.objective)) return false;
  if (f.marker === 'none' && n.marker) return false;
  if (f.marker && f.marker !== 'none' && n.marker !== f.marker) return false;
  if (ws.length > 0) {
    const text = fold(`${n.code} ${n.title} ${n.note ?? ''}`);
    if (!ws.every((w) => text.includes(w))) return false;
  }
  return true;
}

export interface TreeFilter {
  /** nodes that meet the filters */
  matches: Set<string>;
  /** nodes to show: the matches and their ancestors */
  visible: Set<string>;
  /** nodes to open so every match shows: the ancestors of the matches */
  open: Set<string>;
}

/** What a filter keeps of the tree; null when no filter is set (the whole tree, opened by the user). */
export function filterTree(nodes: TreeNode[], f: MapFilters): TreeFilter | null {
  if (!hasFilter(f)) return null;
  const ws = words(f.q);
  const out: TreeFilter = { matches: new Set(), visible: new Set(), open: new Set() };
  const walk = (n: TreeNode): boolean => {
    let below = false;
    for (const c of n.children ?? []) below = walk(c) || below;
    const self = nodeMatches(n, f, ws);
    if (self) out.matches.add(n.code);
    if (below) out.open.add(n.code);
    if (self || below) out.visible.add(n.code);
    return self || below;
  };
  nodes.forEach(walk);
  return out;
}

/**
 * The children a node shows under a filter: those leading to a match; but a match with no match below shows all
 * its children, unfiltered, so its content can still be explored.
 */
export function childrenShown(node: TreeNode, filter: TreeFilter | null): { children: TreeNode[]; childFilter: TreeFilter | null } {
  const all = node.children ?? [];
  if (!filter) return { children: all, childFilter: null };
  const kept = all.filter((c) => filter.visible.has(c.code));
  if (kept.length === 0 && filter.matches.has(node.code)) return { children: all, childFilter: null };
  return { children: kept, childFilter: filter };
}

/** Every node code with children (for "expand all"). */
export function branchCodes(nodes: TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (n: TreeNode) => {
    if ((n.children ?? []).length > 0) out.push(n.code);
    (n.children ?? []).forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

export function countNodes(nodes: TreeNode[]): number {
  let n = 0;
  const walk = (x: TreeNode) => {
    n++;
    (x.children ?? []).forEach(walk);
  };
  nodes.forEach(walk);
  return n;
}

export interface LeafStatus {
  state: string;
  /** worst inherent level of the leaf's risks */
  level: string;
  risks: number;
  /** what the assessment still lacks before submission (from the list of leaves; absent when not read) */
  missing?: number;
  complete?: boolean;
}

/** Adds to the register's statuses each leaf's completeness from the list of leaves (one request for the whole
 * map), and the drafts that have no risk yet (the register has no row for them). */
export function withCompleteness(statuses: Map<string, LeafStatus>, leaves: Array<Pick<ApiLeafStatus, 'code' | 'state' | 'missing_count' | 'complete'>>): Map<string, LeafStatus> {
  for (const l of leaves) {
    if (l.state === 'none') continue;
    const s = statuses.get(l.code) ?? { state: l.state, level: '', risks: 0 };
    s.state = l.state;
    s.missing = l.missing_count;
    s.complete = l.complete;
    statuses.set(l.code, s);
  }
  return statuses;
}

/** The state, worst inherent level and number of risks of each assessed leaf, from the register rows. */
export function leafStatuses(rows: Row[], levels: RiskLevelDef[]): Map<string, LeafStatus> {
  const out = new Map<string, LeafStatus>();
  for (const r of rows) {
    const code = r.node ?? '';
    const s = out.get(code) ?? { state: r.state ?? '', level: '', risks: 0 };
    s.risks++;
    if (levelRank(levels, r.inherent_level) > levelRank(levels, s.level)) s.level = r.inherent_level ?? '';
    out.set(code, s);
  }
  return out;
}
