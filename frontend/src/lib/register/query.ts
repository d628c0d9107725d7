// The register's filters, sort and page as URL parameters (so a link reproduces the view), and the client-side
// filtering and sorting of the rows. Filter parameters carry the API's names (unit, risk_area, level,
// measure_type, state, q) so links built for the heat map and the API read the same.
import { collator } from '../../lib/format';
import { assessmentStates, levelRank, words, fold, type RiskLevelDef, type Row } from './data';

export const sortKeys = ['action', 'event', 'units', 'areas', 'inherent', 'residual', 'decision', 'priority', 'measures', 'state'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export const pageSizes = ['25', '50', '100', '250', 'all'] as const;
export type PageSize = (typeof pageSizes)[number];
/**
 * Rows per page unless the link says otherwise: a page of the fully assessed register stays under 1,500 elements
 * (issue #19: all 530 rows at once were 9,765 elements and about a second of blocked main thread on a phone).
 * "all" remains a choice, and printing always prints every row (RegisterPage).
 */
export const defaultPageSize: PageSize = '50';

export interface Filters {
  q: string;
  unit: string;
  risk_area: string;
  /** inherent level */
  level: string;
  residual_level: string;
  decision: string;
  measure_type: string;
  state: string;
  /** a heat-map cell, "likelihood-impact", of the inherent or the residual risk */
  inherent_cell: string;
  residual_cell: string;
  /** a node of the map: the rows of that leaf, or of the leaves under it */
  node: string;
  /** "*" or "**": the rows whose leaf, or a node above it, carries that marker; "none": no marker on the way up */
  marker: string;
}

export interface RegisterQuery extends Filters {
  sort: SortKey | '';
  dir: SortDir;
  size: PageSize;
  page: number;
}

export const filterKeys: Array<keyof Filters> = ['q', 'unit', 'risk_area', 'level', 'residual_level', 'decision', 'measure_type', 'state', 'inherent_cell', 'residual_cell', 'node', 'marker'];

export const emptyFilters: Filters = {
  q: '',
  unit: '',
  risk_area: '',
  level: '',
  residual_level: '',
  decision: '',
  measure_type: '',
  state: '',
  inherent_cell: '',
  residual_cell: '',
  node: '',
  marker: '',
};

export const defaultQuery: RegisterQuery = { ...emptyFilters, sort: '', dir: 'asc', size: defaultPageSize, page: 1 };

const cellPattern = /^\d+-\d+$/;

export function parseQuery(sp: URLSearchParams): RegisterQuery {
  const q: RegisterQuery = { ...defaultQuery };
  for (const k of filterKeys) q[k] = sp.get(k)?.trim() ?? '';
  if (!cellPattern.test(q.inherent_cell)) q.inherent_cell = '';
  if (!cellPattern.test(q.residual_cell)) q.residual_cell = '';
  const sort = sp.get('sort') ?? '';
  q.sort = (sortKeys as readonly string[]).includes(sort) ? (sort as SortKey) : '';
  q.dir = sp.get('dir') === 'desc' ? 'desc' : 'asc';
  const size = sp.get('size') ?? defaultPageSize;
  q.size = (pageSizes as readonly string[]).includes(size) ? (size as PageSize) : defaultPageSize;
  const page = Number.parseInt(sp.get('page') ?? '1', 10);
  q.page = Number.isFinite(page) && page > 0 ? page : 1;
  return q;
}

/** The URL parameters of a query; defaults are left out so links stay short. */
export function toSearchParams(q: Partial<RegisterQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of filterKeys) {
    const v = q[k]?.trim();
    if (v) sp.set(k, v);
  }
  if (q.sort) {
    sp.set('sort', q.sort);
    if (q.dir === 'desc') sp.set('dir', 'desc');
  }
  if (q.size && q.size !== defaultPageSize) sp.set('size', q.size);
  if (q.page && q.page > 1) sp.set('page', String(q.page));
  return sp;
}

export function activeFilterCount(f: Filters): number {
  return filterKeys.filter((k) => f[k] !== '').length;
}

/** Whether the rows carry their heat-map cells (newer servers); without them a cell filter is not applied. */
export function rowsCarryCells(rows: Row[]): boolean {
  return rows.some((r) => Array.isArray(r.inherent_cell));
}

export interface FilterOptions {
  /**
   * The level of a heat-map cell ("likelihood-impact"): rows without their cell (older servers) match a cell
   * filter by this level instead, which the page tells the user.
   */
  cellLevel?: (cell: string) => string;
  /** The markers on a leaf and the nodes above it (from the map); while unknown a marker filter keeps every row. */
  markersOf?: (node: string) => string[] | undefined;
}

function markerMatches(node: string | undefined, wanted: string, o: FilterOptions): boolean {
  if (!wanted) return true;
  const markers = o.markersOf?.(node ?? '');
  if (!markers) return true;
  return wanted === 'none' ? markers.length === 0 : markers.includes(wanted);
}

function cellMatches(cell: number[] | null | undefined, level: string | undefined, wanted: string, o: FilterOptions): boolean {
  if (!wanted) return true;
  if (Array.isArray(cell)) return `${cell[0]}-${cell[1]}` === wanted;
  const fallback = o.cellLevel?.(wanted);
  return fallback ? (level ?? '') === fallback : true;
}

/** Rows matching every filter. Text: all words in code, title, event code or description (accents ignored). */
export function filterRows(rows: Row[], f: Filters, o: FilterOptions = {}): Row[] {
  const ws = words(f.q);
  const none = ws.length === 0 && activeFilterCount({ ...f, q: '' }) === 0;
  if (none) return rows;
  return rows.filter((r) => {
    if (f.unit && !(r.units ?? []).includes(f.unit)) return false;
    if (f.risk_area && !(r.risk_areas ?? []).includes(f.risk_area)) return false;
    if (f.level && (r.inherent_level ?? '') !== f.level) return false;
    if (f.residual_level && (r.residual_level ?? '') !== f.residual_level) return false;
    if (f.decision && (r.decision ?? '') !== f.decision) return false;
    if (f.measure_type && !(r.measure_types ?? []).includes(f.measure_type)) return false;
    if (f.state && (r.state ?? '') !== f.state) return false;
    if (f.node && r.node !== f.node && !(r.node ?? '').startsWith(`${f.node}.`)) return false;
    if (!markerMatches(r.node, f.marker, o)) return false;
    if (!cellMatches(r.inherent_cell, r.inherent_level, f.inherent_cell, o)) return false;
    if (!cellMatches(r.residual_cell, r.residual_level, f.residual_cell, o)) return false;
    if (ws.length > 0) {
      const text = fold(`${r.node ?? ''} ${r.node_title ?? ''} ${r.event_code ?? ''} ${r.event_description ?? ''}`);
      if (!ws.every((w) => text.includes(w))) return false;
    }
    return true;
  });
}

export interface SortContext {
  levels: RiskLevelDef[];
  /** the label shown for a decision, sorted in Italian collation */
  decisionLabel: (code: string) => string;
}

const stateOrder = (s?: string) => {
  const i = (assessmentStates as readonly string[]).indexOf(s ?? '');
  return i < 0 ? assessmentStates.length : i;
};

type SortValue = string | number;

function sortValue(r: Row, key: SortKey, ctx: SortContext): SortValue {
  switch (key) {
    case 'action':
      return r.node ?? '';
    case 'event':
      return r.event_description ?? '';
    case 'units':
      return (r.units ?? []).join(', ');
    case 'areas':
      return (r.risk_areas ?? []).join(', ');
    case 'inherent':
      return levelRank(ctx.levels, r.inherent_level);
    case 'residual':
      return levelRank(ctx.levels, r.residual_level);
    case 'decision':
      return ctx.decisionLabel(r.decision ?? '');
    case 'priority':
      return r.priority ?? 0;
    case 'measures':
      // more measures first among equals is not meaningful: the count, then how much is missing
      return (r.measures ?? 0) * 100 - (r.measures_missing?.length ?? 0);
    case 'state':
      return stateOrder(r.state);
  }
}

/**
 * Sorts the rows by a column: text in Italian collation with numbers in order (C2.9 before C2.10), levels by
 * severity, states in workflow order. Ties keep the map order in either direction. Without a key: map order.
 */
export function sortRows(rows: Row[], key: SortKey | '', dir: SortDir, ctx: SortContext): Row[] {
  if (!key) return rows;
  const decorated = rows.map((r, i) => ({ r, i, v: sortValue(r, key, ctx) }));
  const sign = dir === 'desc' ? -1 : 1;
  decorated.sort((a, b) => {
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return c !== 0 ? c * sign : a.i - b.i;
  });
  return decorated.map((d) => d.r);
}

export function pageCount(total: number, size: PageSize): number {
  if (size === 'all') return 1;
  return Math.max(1, Math.ceil(total / Number(size)));
}

export function pageRows<T>(rows: T[], size: PageSize, page: number): T[] {
  if (size === 'all') return rows;
  const n = Number(size);
  const p = Math.min(Math.max(1, page), pageCount(rows.length, size));
  return rows.slice((p - 1) * n, p * n);
}

/** Link to the register showing one heat-map cell, with the heat map's filters. */
export function registerCellHref(kind: 'inherent' | 'residual', likelihood: number, impact: number, f: Partial<Filters>): string {
  const cell = `${likelihood}-${impact}`;
  const sp = toSearchParams({ ...f, inherent_cell: kind === 'inherent' ? cell : '', residual_cell: kind === 'residual' ? cell : '' });
  return `/registro?${sp.toString()}`;
}

/** Link to the heat map with the filters both screens share (the heat map API has no residual or decision filter). */
export function heatmapHref(f: Filters): string {
  const s = toSearchParams({ q: f.q, unit: f.unit, risk_area: f.risk_area, marker: f.marker, level: f.level, measure_type: f.measure_type, state: f.state }).toString();
  return `/mappa-di-calore${s ? `?${s}` : ''}`;
}
