// The one way to tell what changed between two versions of an assessment: risks and measures added, removed,
// and the fields that changed in the others, with the state and level. The assessment editor's conflict
// notice, the RPCT's review ("what changed since the last submission") and the audit trail's field diff all
// use it; fieldLabel and valueText turn a change into Italian words. Pure, so it is tested without the server.
import type { TFunction } from 'i18next';
import type { Assessment, Judgement, Measure, RiskEntry, Score } from '../api/schema.gen';
import { formatDate } from './format';


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
  /** the item's position in the newer version */
  index?: number;
}

export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: ItemChange[];
  /** positions of the added items in the newer version, of the removed ones in the older */
  addedAt?: number[];
  removedAt?: number[];
}

export interface AssessmentDiff {
  /** the workflow state, when it changed (not counted in empty: the content is what the diff is about) */
  state?: { before: string; after: string } | null;
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
  // A judgement given where there was none (or removed) shows as such, before its fields.
  into.set(`${prefix}.present`, 'yes');
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
  f.set('cost_note', s(m.cost_note));
  f.set('enabling_factors', [...(m.enabling_factors ?? [])]);
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
  // Risks keep their id across saves: pair by id first, then by event (the n-th occurrence with the n-th).
  const r = pair(bRisks, aRisks, [(x) => s(x.id), (x) => bId(x) || aId(x)]);
  const risks: SectionDiff = {
    added: r.added.map(riskLabel),
    removed: r.removed.map(riskLabel),
    addedAt: r.added.map((x) => aRisks.indexOf(x)),
    removedAt: r.removed.map((x) => bRisks.indexOf(x)),
    changed: r.pairs
      .map(([b, a]) => ({ label: riskLabel(a), index: aRisks.indexOf(a), changes: compare(riskFields(b, bMeasures, otherMeasure), riskFields(a, aMeasures, otherMeasure)) }))
      .filter((c) => c.changes.length > 0),
  };

  const m = pair(bMeasures, aMeasures, [(x) => s(x.id), (x) => s(x.key), (x) => norm(s(x.title))]);
  const measures: SectionDiff = {
    added: m.added.map(measureLabel),
    removed: m.removed.map(measureLabel),
    addedAt: m.added.map((x) => aMeasures.indexOf(x)),
    removedAt: m.removed.map((x) => bMeasures.indexOf(x)),
    changed: m.pairs
      .map(([b, a]) => ({ label: measureLabel(a), index: aMeasures.indexOf(a), changes: compare(measureFields(b), measureFields(a)) }))
      .filter((c) => c.changes.length > 0),
  };

  const level = s(before.level) !== s(after.level) ? { before: s(before.level), after: s(after.level) } : null;
  const state = s(before.state || 'draft') !== s(after.state || 'draft') ? { before: s(before.state || 'draft'), after: s(after.state || 'draft') } : null;
  const isEmpty = (d: SectionDiff) => d.added.length + d.removed.length + d.changed.length === 0;
  return { state, level, risks, measures, empty: !level && isEmpty(risks) && isEmpty(measures) };
}

/** What the labels need to show codes as words; every map may be empty (the codes then show as they are). */
export interface DiffLookups {
  indicators: Map<string, { name: string; levels: Array<{ value: number; label: string }> }>;
  levelLabels: Map<string, string>;
  factors: Map<string, string>;
  types: Map<string, string>;
  generals: Map<string, string>;
}

export const noLookups: DiffLookups = { indicators: new Map(), levelLabels: new Map(), factors: new Map(), types: new Map(), generals: new Map() };

/** An indicator's name with its code, "Livello di interesse esterno (KRI-1)", or the code alone. */
export function indicatorName(l: DiffLookups, code: string): string {
  const ind = l.indicators.get(code);
  return ind ? `${ind.name} (${code})` : code;
}

/** An indicator's answer in words, "Alto (3)", or the value alone. */
export function answerLabel(l: DiffLookups, code: string, value: number | string | undefined): string {
  if (value === undefined || value === '') return '';
  const ind = l.indicators.get(code);
  const level = ind?.levels.find((x) => String(x.value) === String(value));
  return level ? `${level.label} (${value})` : String(value);
}

export function levelText(t: TFunction, l: DiffLookups, code: string): string {
  if (!code) return t('common:levels.');
  return t(`common:levels.${code}`, { defaultValue: l.levelLabels.get(code) ?? code });
}

/** The Italian label of a changed field: "Rischio inerente: Motivazione – Livello di interesse esterno (KRI-1)". */
export function fieldLabel(t: TFunction, l: DiffLookups, c: FieldChange): string {
  const [scope, name] = c.field.includes('.') ? c.field.split('.', 2) : ['', c.field];
  const prefix = scope === 'inherent' ? t('review:diff.inherent') : scope === 'residual' ? t('review:diff.residual') : '';
  const base = t(`review:diff.fields.${name}`, { defaultValue: name });
  const label = c.code ? `${base} – ${indicatorName(l, c.code)}` : base;
  return prefix ? `${prefix}: ${label}` : label;
}

/** A value as Italian text: levels, decisions, statuses, dates and catalogue codes as words. */
export function valueText(t: TFunction, l: DiffLookups, c: FieldChange, v: Value): string {
  const name = c.field.includes('.') ? c.field.split('.', 2)[1] : c.field;
  const none = t('review:view.notGiven');
  if (Array.isArray(v)) {
    if (v.length === 0) return none;
    switch (name) {
      case 'enabling_factors':
        return v.map((f) => (l.factors.get(f) ? `${l.factors.get(f)} (${f})` : f)).join('; ');
      case 'phases':
        return v
          .map((p) => {
            const [title, deadline] = p.split('|');
            return deadline ? `${title} (${formatDate(deadline)})` : title;
          })
          .join('; ');
      case 'indicators':
        return v
          .map((p) => {
            const [ind, baseline, target] = p.split('|');
            return t('review:diff.indicatorValue', { name: ind, baseline: baseline || '—', target: target || '—' });
          })
          .join('; ');
      default:
        return v.join('; ');
    }
  }
  if (v === '') return none;
  switch (name) {
    case 'present':
      return t('review:diff.given');
    case 'level':
      return levelText(t, l, v);
    case 'override': {
      const [level, reason] = v.split('|');
      return reason ? `${levelText(t, l, level)} – ${reason}` : levelText(t, l, level);
    }
    case 'value':
      return answerLabel(l, c.code ?? '', v);
    case 'decision':
      return t(`review:decisions.${v}`, { defaultValue: v });
    case 'status':
      return t(`review:measureStatus.${v}`, { defaultValue: v });
    case 'nature':
      return v === 'general' ? t('review:view.natureGeneralShort') : t('review:view.natureSpecific');
    case 'type':
      return l.types.get(v) ? `${v} – ${l.types.get(v)}` : v;
    case 'general_code':
      return l.generals.get(v) ? `${v} – ${l.generals.get(v)}` : v;
    case 'start':
    case 'end':
      return formatDate(v);
    default:
      return v;
  }
}

/** Long texts are not repeated in a one-line summary: "testo modificato" says enough. */
const longFields = new Set(['context', 'event', 'description', 'reason', 'valueReason', 'manualReason']);

/** One change as an Italian line: "Rischio inerente: Probabilità (KRI-1): da «Medio (2)» a «Alto (3)»". */
export function changeLine(t: TFunction, l: DiffLookups, c: FieldChange): string {
  const name = c.field.includes('.') ? c.field.split('.', 2)[1] : c.field;
  const label = fieldLabel(t, l, c);
  if (name === 'present') return c.after === '' ? t('review:diff.judgementRemoved', { what: label.split(':')[0] }) : t('review:diff.judgementAdded', { what: label.split(':')[0] });
  if (longFields.has(name)) return t('review:diff.textChanged', { field: label });
  return t('review:diff.line', { field: label, from: valueText(t, l, c, c.before), to: valueText(t, l, c, c.after) });
}

/** Every change of a diff as Italian lines, grouped by item: what the audit trail shows for a saved assessment. */
export function diffLines(t: TFunction, l: DiffLookups, d: AssessmentDiff): Array<{ where: string; what: string[] }> {
  const out: Array<{ where: string; what: string[] }> = [];
  const general: string[] = [];
  if (d.state) general.push(t('review:diff.stateLine', { from: t(`common:states.${d.state.before}`, { defaultValue: d.state.before }), to: t(`common:states.${d.state.after}`, { defaultValue: d.state.after }) }));
  if (d.level) general.push(t('review:diff.level', { before: levelText(t, l, d.level.before), after: levelText(t, l, d.level.after) }));
  for (const x of d.risks.added) general.push(t('review:diff.riskAddedLine', { name: x }));
  for (const x of d.risks.removed) general.push(t('review:diff.riskRemovedLine', { name: x }));
  for (const x of d.measures.added) general.push(t('review:diff.measureAddedLine', { name: x }));
  for (const x of d.measures.removed) general.push(t('review:diff.measureRemovedLine', { name: x }));
  if (general.length) out.push({ where: t('review:diff.general'), what: general });
  for (const item of [...d.risks.changed, ...d.measures.changed]) {
    // A judgement given or removed is one line; its fields would only repeat it.
    const whole = new Set(item.changes.filter((c) => c.field.endsWith('.present')).map((c) => c.field.split('.')[0]));
    const lines = item.changes.filter((c) => c.field.endsWith('.present') || !whole.has(c.field.split('.')[0]) || !c.field.includes('.')).map((c) => changeLine(t, l, c));
    out.push({ where: item.label, what: lines });
  }
  return out;
}

/** The audit record of a save, since saves record only what changed (see the server's savedAssessment). */
interface SavedChanges {
  state?: string;
  version?: number;
  level?: string;
  changes: {
    risks?: { added?: RiskEntry[] | null; removed?: Array<Record<string, unknown>> | null; changed?: Array<{ fields?: Record<string, { before: unknown; after: unknown }> } & Record<string, unknown>> | null };
    measures?: { added?: Measure[] | null; removed?: Array<Record<string, unknown>> | null; changed?: Array<{ fields?: Record<string, { before: unknown; after: unknown }> } & Record<string, unknown>> | null };
    measure_titles?: Record<string, string> | null;
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a save's audit record ("after") holds the field-level changes rather than the whole content. */
export function isSavedChanges(after: unknown): after is SavedChanges {
  return isRecord(after) && isRecord(after.changes);
}

/**
 * savedChangesPair turns a save's field-level audit record into two partial assessments whose comparison
 * (diffAssessments) gives exactly the recorded changes: each changed item appears on both sides with only its
 * changed fields (before and after), added items only after, removed ones only before. `before` is the record's
 * "before" (the head the save replaced: state, version, level), absent when the save created the assessment.
 */
export function savedChangesPair(before: unknown, after: SavedChanges): { before: LooseAssessment; after: LooseAssessment } {
  const head = isRecord(before) ? before : {};
  const titles = after.changes.measure_titles ?? {};
  const b: LooseAssessment = { state: (head.state as Assessment['state']) ?? undefined, level: s(head.level), risks: [], measures: [] };
  const a: LooseAssessment = { state: (after.state as Assessment['state']) ?? undefined, level: s(after.level), risks: [], measures: [] };
  const judgement = (field: string): boolean => field === 'inherent' || field === 'residual';
  const riskSide = (item: Record<string, unknown>, fields: Record<string, { before: unknown; after: unknown }>, side: 'before' | 'after'): RiskEntry => {
    const r: Record<string, unknown> = { id: item.id, event_code: item.event_code, event_description: item.event_description };
    for (const [name, change] of Object.entries(fields)) {
      const v = change[side];
      if (name === 'inherent_level' || name === 'residual_level') continue;
      r[name] = v;
      if (judgement(name)) r[`${name}_score`] = { level: s(fields[`${name}_level`]?.[side]) };
    }
    return r as unknown as RiskEntry;
  };
  const measureSide = (item: Record<string, unknown>, fields: Record<string, { before: unknown; after: unknown }>, side: 'before' | 'after'): Measure => {
    const m: Record<string, unknown> = { id: item.id, key: item.id, title: item.title, nature: item.nature };
    for (const [name, change] of Object.entries(fields)) m[name] = change[side];
    return m as unknown as Measure;
  };
  const risks = after.changes.risks ?? {};
  const measures = after.changes.measures ?? {};
  // Changed items first, so they pair by id before an added item could pair with them by event or title.
  for (const c of risks.changed ?? []) {
    b.risks!.push(riskSide(c, c.fields ?? {}, 'before'));
    a.risks!.push(riskSide(c, c.fields ?? {}, 'after'));
  }
  a.risks!.push(...(risks.added ?? []));
  b.risks!.push(...(risks.removed ?? []).map((x) => ({ ...x }) as unknown as RiskEntry));
  for (const c of measures.changed ?? []) {
    b.measures!.push(measureSide(c, c.fields ?? {}, 'before'));
    a.measures!.push(measureSide(c, c.fields ?? {}, 'after'));
  }
  a.measures!.push(...(measures.added ?? []));
  b.measures!.push(...(measures.removed ?? []).map((x) => ({ ...x, key: x.id }) as unknown as Measure));
  // The measures the risks' lists name, by title, on both sides (equal, so they are no change themselves).
  const listed = new Set([...a.measures!, ...b.measures!].map((m) => s(m.id)));
  for (const [id, title] of Object.entries(titles)) {
    if (listed.has(id)) continue;
    a.measures!.push({ id, key: id, title } as Measure);
    b.measures!.push({ id, key: id, title } as Measure);
  }
  return { before: b, after: a };
}
