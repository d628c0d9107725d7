// Data shared by the register, the heat map and the process-map browser: the whole register (every page, read
// by cursor), the reference lists of the cycle's map (units, risk areas, strategic objectives with their titles),
// the measure types and the methodology. Reference data is cached per cycle and map version, the register never is.
import { api } from '../../api/client';
import type { MeasureType, Methodology, Profile, RefItem, RegisterRow, Tree, TreeNode } from '../../api/schema.gen';

/**
 * A register row. inherent_cell / residual_cell ([likelihood, impact]) are read when the server sends them (the
 * heat-map cell of the risk): until then the register cannot filter by cell and falls back to the cell's level.
 */
export type Row = RegisterRow & { inherent_cell?: number[] | null; residual_cell?: number[] | null };

export interface RegisterPage {
  items: Row[];
  /** only when asked for (with_total=true): counting passes over the whole register */
  total?: number;
  has_more?: boolean;
  /** only when has_more: reads the next page by keyset (pass it back as cursor, with the same filters) */
  next_cursor?: string;
  /** the page number asked for; 0 for a page read by cursor */
  page: number;
  page_size: number;
}

/** The largest page the API serves. */
export const maxPageSize = 1000;

/**
 * Reads every row of the register the filters keep, in map order, one page of up to 1000 rows after the other,
 * each page after the first by the previous page's next_cursor (keyset pagination). A page by cursor costs the
 * server the same whatever its depth, where a page by number skips every row before it; no total is asked (a
 * count over the whole register); and a walk by cursor neither repeats nor skips a row when risks are added or
 * removed between two of its pages, which pages by number could. The pages come one after the other, but the
 * demo's fully assessed register (530 rows) is one page, and one of 3,000 rows three. onPage is told the rows
 * read so far whenever another page follows.
 */
export async function walkRegister(
  cycle: string,
  filters: Record<string, string>,
  signal?: AbortSignal,
  onPage?: (rowsRead: number) => void,
): Promise<Row[]> {
  const op = 'GET /api/v1/cycles/:cycle/register' as const;
  const items: Row[] = [];
  const seen = new Set<string>();
  let cursor = '';
  for (;;) {
    const query = cursor ? { ...filters, page_size: maxPageSize, cursor } : { ...filters, page: 1, page_size: maxPageSize };
    const page = await api.call<RegisterPage>(op, { params: { cycle }, query, signal });
    items.push(...(page.items ?? []));
    if (!page.has_more || (page.items ?? []).length === 0) return items;
    onPage?.(items.length);
    // A server that says more follows must say where: without a new cursor the walk would never end.
    if (!page.next_cursor || seen.has(page.next_cursor)) throw new Error('register: has_more without a new next_cursor');
    seen.add(page.next_cursor);
    cursor = page.next_cursor;
  }
}

/** The whole register of a cycle (every page, by cursor). */
export function loadRegister(cycle: string, signal?: AbortSignal, onPage?: (rowsRead: number) => void): Promise<Row[]> {
  return walkRegister(cycle, {}, signal, onPage);
}

export interface Refs {
  units: RefItem[];
  areas: RefItem[];
  objectives: RefItem[];
  /** per node code, the markers ("*", "**") on the node or a process or sub-process above it */
  markers?: Record<string, string[]>;
}

const treeCache = new Map<string, Promise<Tree>>();

/**
 * The process map of a cycle. Cached per cycle and map hash (a new import changes the hash) unless fresh is
 * asked (the map browser wants the current risk levels); a failed load is not cached.
 */
export function loadTree(cycle: string, mapHash = '', fresh = false): Promise<Tree> {
  const key = `${cycle}#${mapHash}`;
  const cached = treeCache.get(key);
  if (cached && !fresh) return cached;
  const p = api.call<Tree>('GET /api/v1/cycles/:cycle/process-map', { params: { cycle } });
  treeCache.set(key, p);
  p.catch(() => {
    if (treeCache.get(key) === p) treeCache.delete(key);
  });
  return p;
}

/** The markers of each node and of the nodes above it, so a leaf inherits its sub-process's or process's. */
export function markersOf(nodes: TreeNode[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (list: TreeNode[], above: string[]) => {
    for (const n of list) {
      const here = n.marker && !above.includes(n.marker) ? [...above, n.marker] : above;
      out[n.code] = here;
      walk(n.children ?? [], here);
    }
  };
  walk(nodes, []);
  return out;
}

export function refsOf(tree: Tree): Refs {
  return { units: tree.units ?? [], areas: tree.risk_areas ?? [], objectives: tree.strategic_objectives ?? [], markers: markersOf(tree.nodes ?? []) };
}

export async function loadRefs(cycle: string, mapHash = ''): Promise<Refs> {
  return refsOf(await loadTree(cycle, mapHash));
}

let measureTypes: Promise<MeasureType[]> | null = null;

/** The eleven ANAC measure types (T01..T11); stable, so loaded once. */
export function loadMeasureTypes(): Promise<MeasureType[]> {
  if (!measureTypes) {
    measureTypes = api
      .call<{ items: MeasureType[] } | MeasureType[]>('GET /api/v1/catalogue/measure-types')
      .then((r) => (Array.isArray(r) ? r : (r.items ?? [])));
    measureTypes.catch(() => {
      measureTypes = null;
    });
  }
  return measureTypes;
}

export function loadMethodology(cycle: string, signal?: AbortSignal): Promise<Methodology> {
  return api.call<Methodology>('GET /api/v1/cycles/:cycle/methodology', { params: { cycle }, signal });
}

/** Resets the caches (tests). */
export function clearCaches(): void {
  treeCache.clear();
  measureTypes = null;
}

export interface RiskLevelDef {
  code: string;
  label: string;
  rank: number;
}

/** Severity order of the shipped level codes, for when the methodology is not known. */
export const defaultLevels: RiskLevelDef[] = [
  { code: 'molto_basso', label: 'Molto basso', rank: 1 },
  { code: 'basso', label: 'Basso', rank: 2 },
  { code: 'medio', label: 'Medio', rank: 3 },
  { code: 'alto', label: 'Alto', rank: 4 },
  { code: 'molto_alto', label: 'Molto alto', rank: 5 },
  { code: 'critico', label: 'Critico', rank: 6 },
];

/** The levels of a profile in severity order (lowest first); the shipped order when the profile has none. */
export function levelsOf(profile?: Profile | null): RiskLevelDef[] {
  const raw = (profile?.risk_levels ?? []) as Array<Partial<RiskLevelDef>>;
  const levels = raw.filter((l) => typeof l.code === 'string' && l.code !== '').map((l) => ({ code: l.code!, label: l.label ?? l.code!, rank: Number(l.rank ?? 0) }));
  if (levels.length === 0) return defaultLevels;
  return levels.sort((a, b) => a.rank - b.rank);
}

/** Rank of a level code: higher is more severe, 0 for no level, unknown codes after the known ones by the shipped order. */
export function levelRank(levels: RiskLevelDef[], code?: string | null): number {
  if (!code) return 0;
  const i = levels.findIndex((l) => l.code === code);
  if (i >= 0) return i + 1;
  const d = defaultLevels.findIndex((l) => l.code === code);
  return d >= 0 ? levels.length + d + 1 : levels.length + defaultLevels.length + 1;
}

/** Lower case, without accents: what the server's search does (domain.FoldSearch). */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Words of a search text, folded. */
export function words(q: string): string[] {
  return fold(q).split(/\s+/).filter(Boolean);
}

export const assessmentStates = ['draft', 'returned', 'submitted', 'approved'] as const;
export const decisions = ['treat_new_measures', 'keep_existing_measures', 'analyse_further'] as const;

interface ScaleStep {
  value: number;
  label?: string;
}

interface BandDef {
  min: number;
  max: number;
  level: string;
}

/**
 * The risk level of a heat-map cell under a profile. Qualitative profiles read their matrix at the positions of
 * the likelihood and impact values in their scales; numeric profiles (PNA 2013) read the band of the product
 * P×I of the cell's values (min inclusive, max exclusive, the last band also includes its max). '' when unknown.
 */
export function cellLevel(profile: Profile | null | undefined, likelihood: number, impact: number): string {
  if (!profile) return '';
  const p = profile as Profile & { likelihood_scale?: ScaleStep[]; impact_scale?: ScaleStep[] };
  if (p.matrix && p.matrix.length > 0) {
    const li = p.likelihood_scale?.length ? p.likelihood_scale.findIndex((s) => s.value === likelihood) : likelihood - 1;
    const ii = p.impact_scale?.length ? p.impact_scale.findIndex((s) => s.value === impact) : impact - 1;
    return (li >= 0 && ii >= 0 && p.matrix[li]?.[ii]) || '';
  }
  const bands = (p.bands ?? []) as unknown as BandDef[];
  if (bands.length > 0) {
    const product = likelihood * impact;
    const last = bands[bands.length - 1];
    const band = bands.find((b) => product >= b.min && product < b.max) ?? (product === last.max ? last : undefined);
    return band?.level ?? '';
  }
  return '';
}
