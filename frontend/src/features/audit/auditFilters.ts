// The audit screen's filters live in the URL (shareable, back button works) under the API's own query names;
// and the field-by-field comparison of a record's before and after.

export interface AuditFilters {
  entity: string;
  entity_id: string;
  actor: string;
  action: string;
  from: string;
  to: string;
  /** a leaf of the map: the records about its assessment, in any cycle */
  leaf: string;
  /** sign-ins, refreshes and sign-outs are hidden unless asked for */
  sessions: boolean;
  page: number;
}

export const filterKeys = ['entity', 'entity_id', 'actor', 'action', 'from', 'to', 'leaf'] as const;
export const pageSize = 50;

export const emptyFilters: AuditFilters = { entity: '', entity_id: '', actor: '', action: '', from: '', to: '', leaf: '', sessions: false, page: 1 };

export function filtersFromParams(p: URLSearchParams): AuditFilters {
  const page = Number(p.get('page'));
  return {
    entity: p.get('entity') ?? '',
    entity_id: p.get('entity_id') ?? '',
    actor: p.get('actor') ?? '',
    action: p.get('action') ?? '',
    from: p.get('from') ?? '',
    to: p.get('to') ?? '',
    leaf: p.get('leaf') ?? '',
    sessions: p.get('sessions') === '1',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Only the filters in use go to the URL; page 1 is implicit. */
export function paramsFromFilters(f: AuditFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of filterKeys) {
    const v = f[k].trim();
    if (v) p.set(k, v);
  }
  if (f.sessions) p.set('sessions', '1');
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** The query of GET /api/v1/audit (and, without the page, of the export). */
export function apiQuery(f: AuditFilters, withPage = true): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  for (const k of filterKeys) if (f[k].trim()) q[k] = f[k].trim();
  if (!f.sessions) q.hide_sessions = 'true';
  if (withPage) {
    q.page = f.page;
    q.page_size = pageSize;
  }
  return q;
}

/**
 * Assessments are recorded as "<cycle>/<leaf code>": whoever filters the assessments by a bare leaf code means
 * that leaf in the selected cycle. Other identifiers are taken as typed.
 */
export function normalizeEntityId(entity: string, id: string, cycleCode: string): string {
  const v = id.trim();
  if (entity === 'assessment' && v && !v.includes('/') && cycleCode) return `${cycleCode}/${v}`;
  return v;
}

export function validateFilters(f: AuditFilters): Record<string, 'date_invalid' | 'range_invalid'> {
  const e: Record<string, 'date_invalid' | 'range_invalid'> = {};
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (f.from && !date.test(f.from)) e.from = 'date_invalid';
  if (f.to && !date.test(f.to)) e.to = 'date_invalid';
  if (!e.from && !e.to && f.from && f.to && f.to < f.from) e.to = 'range_invalid';
  return e;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  kind: 'added' | 'removed' | 'changed';
}

export function parseJSON(s?: string): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields that differ between two JSON objects, in the order they appear; null when either is not an object. */
export function diffFields(before: unknown, after: unknown): FieldChange[] | null {
  if (!isObject(before) || !isObject(after)) return null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: FieldChange[] = [];
  for (const k of keys) {
    const inB = k in before;
    const inA = k in after;
    if (inB && inA && JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    out.push({ field: k, before: before[k], after: after[k], kind: !inB ? 'added' : !inA ? 'removed' : 'changed' });
  }
  return out;
}

export function pretty(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2);
}
