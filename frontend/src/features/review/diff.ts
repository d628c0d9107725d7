// What changed between two contents of an assessment (the one the RPCT reviewed last time and the one submitted
// now): risks and measures added, removed, and the fields that changed in the others. Pure, so it is tested
// without the server; the review page turns field names into Italian labels.
import type { Assessment, Judgement, Measure, RiskEntry, Score } from '../../api/schema.gen';

export type Value = string | string[];

export interface FieldChange {
  /** e.g. "context", "inherent.level", "inherent.value" (with code), "phases" */
  field: string;
  /** the indicator code, for the per-indicator fields */
  code?: string;
  before: Value;
  after: Value;
}

export interface ItemChange {
  label: string;
  changes: FieldChange[];
}

export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: ItemChange[];
}

export interface AssessmentDiff {
  level: { before: string; after: string } | null;
  risks: SectionDiff;
  measures: SectionDiff;
  empty: boolean;
}

/** An assessment as stored in the audit trail: fields may be missing, keys may differ from ids. */
export type LooseAssessment = Partial<Omit<Assessment, 'risks' | 'measures'>> & { risks?: RiskEntry[] | null; measures?: Measure[] | null };

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v).trim());
const norm = (v: string) => v.trim().toLowerCase().replace(/\s+/g, ' ');

export function riskLabel(r: RiskEntry): string {
  const code = s(r.event_code);
  const desc = s(r.event_description);
  return code ? `${code} – ${desc}` : desc;
}

export function measureLabel(m: Measure): string {
  return s(m.title) || s(m.key) || s(m.id);
}

/** Resolves a risk's measure references (keys of the same assessment, or ids) to measure titles. */
function measureTitles(refs: string[] | undefined, measures: Measure[], other: string): string[] {
  return (refs ?? []).map((ref) => {
    const m = measures.find((x) => x.key === ref || x.id === ref);
    return m ? measureLabel(m) : other;
  });
}

function judgementFields(prefix: string, j: Judgement | null | undefined, score: Score | undefined, into: Map<string, Value>) {
  if (!j) return;
  into.set(`${prefix}.level`, s(score?.level));
  for (const v of j.values ?? []) {
    into.set(`${prefix}.value|${s(v.code)}`, s(v.value));
    into.set(`${prefix}.valueReason|${s(v.code)}`, s(v.reason));
  }
  if (j.likelihood_manual !== undefined && j.likelihood_manual !== null) into.set(`${prefix}.likelihoodManual`, s(j.likelihood_manual));
  if (j.impact_manual !== undefined && j.impact_manual !== null) into.set(`${prefix}.impactManual`, s(j.impact_manual));
  if (s(j.manual_reason)) into.set(`${prefix}.manualReason`, s(j.manual_reason));
  if (j.override?.level) into.set(`${prefix}.override`, `${s(j.override.level)}|${s(j.override.reason)}`);
  into.set(`${prefix}.reason`, s(j.reason));
}

function riskFields(r: RiskEntry, measures: Measure[], other: string): Map<string, Value> {
  const f = new Map<string, Value>();
  f.set('event', s(r.event_description));
  f.set('context', s(r.context));
  f.set('enabling_factors', [...(r.enabling_factors ?? [])].sort());
  judgementFields('inherent', r.inherent, r.inherent_score, f);
  f.set('decision', s(r.decision));
  f.set('priority', r.priority ? String(r.priority) : '');
  f.set('measures', measureTitles(r.measures, measures, other).sort());
  judgementFields('residual', r.residual, r.residual_score, f);
  return f;
}

function measureFields(m: Measure): Map<string, Value> {
  const f = new Map<string, Value>();
  f.set('title', s(m.title));
  f.set('nature', s(m.nature));
  f.set('general_code', m.nature === 'general' ? s(m.general_code) : '');
  f.set('type', s(m.type));
  f.set('description', s(m.description));
  f.set('unit', s(m.unit));
  f.set('owner', s(m.owner));
  f.set('start', s(m.start));
  f.set('end', s(m.end));
  f.set('phases', (m.phases ?? []).map((p) => `${s(p.title)}|${s(p.deadline)}`));
  f.set('indicators', (m.indicators ?? []).map((i) => `${s(i.name)}|${s(i.baseline)}|${s(i.target)}`));
  f.set('strategic_objective', s(m.strategic_objective));
  f.set('status', s(m.status) || 'new');
  return f;
}

const same = (a: Value, b: Value) => (Array.isArray(a) ? a.join('\u0000') : a) === (Array.isArray(b) ? b.join('\u0000') : b);
const empty = (v: Value) => (Array.isArray(v) ? v.length === 0 : v === '');

function compare(before: Map<string, Value>, after: Map<string, Value>): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
  for (const key of keys) {
    const b = before.get(key) ?? '';
    const a = after.get(key) ?? '';
    if (same(a, b) || (empty(a) && empty(b))) continue;
    const [field, code] = key.split('|', 2);
    out.push(code === undefined ? { field, before: b, after: a } : { field, code, before: b, after: a });
  }
  return out;
}

/** Pairs the items of two lists: by the first identity that matches (e.g. id, then key, then title). */
function pair<T>(before: T[], after: T[], identities: Array<(x: T) => string>): { pairs: Array<[T, T]>; added: T[]; removed: T[] } {
  const left = new Set(before.map((_, i) => i));
  const pairs: Array<[T, T]> = [];
  const added: T[] = [];
  for (const a of after) {
    let found = -1;
    for (const id of identities) {
      const want = id(a);
      if (!want) continue;
      found = [...left].find((i) => id(before[i]) === want) ?? -1;
      if (found >= 0) break;
    }
    if (found >= 0) {
      left.delete(found);
      pairs.push([before[found], a]);
    } else added.push(a);
  }
  return { pairs, added, removed: [...left].map((i) => before[i]) };
}

/** Risks are matched by catalogue event (or own description), the n-th occurrence with the n-th. */
function riskIdentities(list: RiskEntry[]): (r: RiskEntry) => string {
  const seen = new Map<string, number>();
  const ids = new Map<RiskEntry, string>();
  for (const r of list) {
    const base = s(r.event_code) || norm(s(r.event_description));
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    ids.set(r, `${base}#${n}`);
  }
  return (r) => ids.get(r) ?? '';
}

/**
 * diffAssessments compares the previous content with the current one. `otherMeasure` names a risk's reference
 * to a measure planned by another leaf (it has no title here).
 */
export function diffAssessments(before: LooseAssessment, after: LooseAssessment, otherMeasure = '?'): AssessmentDiff {
  const bRisks = before.risks ?? [];
  const aRisks = after.risks ?? [];
  const bMeasures = before.measures ?? [];
  const aMeasures = after.measures ?? [];

  const bId = riskIdentities(bRisks);
  const aId = riskIdentities(aRisks);
  const riskPairs: Array<[RiskEntry, RiskEntry]> = [];
  const riskAdded: RiskEntry[] = [];
  const left = new Map(bRisks.map((r) => [bId(r), r]));
  for (const r of aRisks) {
    const b = left.get(aId(r));
    if (b) {
      riskPairs.push([b, r]);
      left.delete(aId(r));
    } else riskAdded.push(r);
  }
  const risks: SectionDiff = {
    added: riskAdded.map(riskLabel),
    removed: [...left.values()].map(riskLabel),
    changed: riskPairs
      .map(([b, a]) => ({ label: riskLabel(a), changes: compare(riskFields(b, bMeasures, otherMeasure), riskFields(a, aMeasures, otherMeasure)) }))
      .filter((c) => c.changes.length > 0),
  };

  const m = pair(bMeasures, aMeasures, [(x) => s(x.id), (x) => s(x.key), (x) => norm(s(x.title))]);
  const measures: SectionDiff = {
    added: m.added.map(measureLabel),
    removed: m.removed.map(measureLabel),
    changed: m.pairs.map(([b, a]) => ({ label: measureLabel(a), changes: compare(measureFields(b), measureFields(a)) })).filter((c) => c.changes.length > 0),
  };

  const level = s(before.level) !== s(after.level) ? { before: s(before.level), after: s(after.level) } : null;
  const isEmpty = (d: SectionDiff) => d.added.length + d.removed.length + d.changed.length === 0;
  return { level, risks, measures, empty: !level && isEmpty(risks) && isEmpty(measures) };
}
