// The editor's model: the cycle's methodology profile as the server sends it (the generated schema types it
// loosely), the form drafts of risks and measures, and the conversions between drafts and the API document.
import type { Assessment, Measure, RiskEntry, Score } from '../../api/schema.gen';

export interface ScaleLevel {
  value: number;
  label: string;
  description: string;
}

export interface Indicator {
  code: string;
  name: string;
  question: string;
  levels: ScaleLevel[];
}

export interface RiskLevel {
  code: string;
  label: string;
  rank: number;
}

export interface Band {
  min: number;
  max: number;
  level: string;
}

export type Aggregation = 'max' | 'mean' | 'mode' | 'manual';

/** domain.Profile, as GET /cycles/:cycle/methodology returns it in `profile`. */
export interface Profile {
  code: string;
  name: string;
  kind: 'qualitative' | 'numeric';
  likelihood_indicators: Indicator[];
  impact_indicators: Indicator[];
  likelihood_aggregation: Aggregation;
  impact_aggregation: Aggregation;
  likelihood_scale: ScaleLevel[];
  impact_scale: ScaleLevel[];
  risk_levels: RiskLevel[];
  matrix?: string[][];
  bands?: Band[];
  indicator_reason_required: boolean;
}

export interface MethodologyFull {
  cycle: string;
  profile: Profile;
  chosen: boolean;
  version: number;
}

/** Minimum length of the overall, override and manual-choice reasons (domain.MinReasonLength). */
export const MIN_REASON = 20;
/** Minimum length of an event of the leaf's own (domain.MinRiskEventDescription). */
export const MIN_OWN_EVENT = 15;

export type Decision = 'treat_new_measures' | 'keep_existing_measures' | 'analyse_further';
export const decisions: Decision[] = ['treat_new_measures', 'keep_existing_measures', 'analyse_further'];
export type MeasureStatus = 'new' | 'existing_confirmed' | 'modified' | 'dropped';
export const measureStatuses: MeasureStatus[] = ['new', 'existing_confirmed', 'modified', 'dropped'];

export interface IndicatorDraft {
  value: number | null;
  reason: string;
}

export interface JudgementDraft {
  values: Record<string, IndicatorDraft>;
  likelihoodManual: number | null;
  impactManual: number | null;
  manualReason: string;
  override: boolean;
  overrideLevel: string;
  overrideReason: string;
  reason: string;
  /** Ids of the cycle's context items the reason cites ("dati a supporto"); kept as they came when not edited. */
  supportingData?: string[];
}

export interface RiskDraft {
  uid: string;
  id?: string;
  /** catalogue: an event of the ente's catalogue; own: an event of this leaf, described by the assessor. */
  eventMode: 'catalogue' | 'own';
  eventCode: string;
  eventDescription: string;
  context: string;
  enablingFactors: string[];
  inherent: JudgementDraft;
  decision: Decision | '';
  /** As typed: empty means "not set" (0 for the API). */
  priority: string;
  /** Keys of this assessment's measures, or ids of other leaves' measures. */
  measures: string[];
  residualOn: boolean;
  residual: JudgementDraft;
  /** Scores of the last saved version (the server's). */
  inherentScore?: Score;
  residualScore?: Score;
}

export interface PhaseDraft {
  title: string;
  /** When the phase begins (optional); deadline is when it ends. */
  start: string;
  deadline: string;
}

export interface MeasureIndicatorDraft {
  name: string;
  baseline: string;
  target: string;
}

export interface MeasureDraft {
  uid: string;
  id?: string;
  key: string;
  nature: 'general' | 'specific';
  generalCode: string;
  /** The programme's general measure this one links (its content is then the programme's), or none. */
  programmeMeasure?: string;
  type: string;
  title: string;
  description: string;
  unit: string;
  owner: string;
  start: string;
  end: string;
  phases: PhaseDraft[];
  indicators: MeasureIndicatorDraft[];
  strategicObjective: string;
  costNote: string;
  /** The enabling factors (codes of the ente's catalogue) the measure addresses. */
  enablingFactors: string[];
  status: MeasureStatus;
  missing?: string[];
}

let uidCounter = 0;
/** A unique id for a risk or measure of the form, stable while it exists (HTML ids derive from it). */
export function newUid(prefix: 'r' | 'm'): string {
  uidCounter += 1;
  return `${prefix}${uidCounter}`;
}

export function allIndicators(p: Profile): Indicator[] {
  return [...(p.likelihood_indicators ?? []), ...(p.impact_indicators ?? [])];
}

export function emptyJudgement(p: Profile): JudgementDraft {
  const values: Record<string, IndicatorDraft> = {};
  for (const ind of allIndicators(p)) values[ind.code] = { value: null, reason: '' };
  return { values, likelihoodManual: null, impactManual: null, manualReason: '', override: false, overrideLevel: '', overrideReason: '', reason: '' };
}

export function judgementFromApi(p: Profile, j: RiskEntry['inherent'] | null | undefined): JudgementDraft {
  const d = emptyJudgement(p);
  if (!j) return d;
  for (const v of j.values ?? []) {
    if (!v.code) continue;
    d.values[v.code] = { value: typeof v.value === 'number' ? v.value : null, reason: v.reason ?? '' };
  }
  d.likelihoodManual = j.likelihood_manual ?? null;
  d.impactManual = j.impact_manual ?? null;
  d.manualReason = j.manual_reason ?? '';
  if (j.override) {
    d.override = true;
    d.overrideLevel = j.override.level ?? '';
    d.overrideReason = j.override.reason ?? '';
  }
  d.reason = j.reason ?? '';
  d.supportingData = j.supporting_data ?? [];
  return d;
}

/** The judgement as the API takes it: every valued indicator in the profile's order (the error paths
 * values[i] refer to this order), the manual values only where the profile asks for them. */
export function judgementToApi(p: Profile, d: JudgementDraft): RiskEntry['inherent'] {
  const values: RiskEntry['inherent']['values'] = [];
  const known = new Set<string>();
  for (const ind of allIndicators(p)) {
    known.add(ind.code);
    const v = d.values[ind.code];
    if (v && v.value !== null) values.push({ code: ind.code, value: v.value, reason: v.reason });
  }
  // Values of indicators the profile no longer has are sent back as they were: the server names them.
  for (const [code, v] of Object.entries(d.values)) {
    if (!known.has(code) && v.value !== null) values.push({ code, value: v.value, reason: v.reason });
  }
  const out: RiskEntry['inherent'] = { values, reason: d.reason };
  if (p.likelihood_aggregation === 'manual') out.likelihood_manual = d.likelihoodManual;
  if (p.impact_aggregation === 'manual') out.impact_manual = d.impactManual;
  if (p.likelihood_aggregation === 'manual' || p.impact_aggregation === 'manual') out.manual_reason = d.manualReason;
  if (d.override) out.override = { level: d.overrideLevel, reason: d.overrideReason };
  if (d.supportingData?.length) out.supporting_data = d.supportingData;
  return out;
}

export function riskFromApi(p: Profile, r: RiskEntry): RiskDraft {
  return {
    uid: newUid('r'),
    id: r.id || undefined,
    eventMode: r.event_code ? 'catalogue' : 'own',
    eventCode: r.event_code ?? '',
    eventDescription: r.event_description ?? '',
    context: r.context ?? '',
    enablingFactors: [...(r.enabling_factors ?? [])],
    inherent: judgementFromApi(p, r.inherent),
    decision: r.decision ?? '',
    priority: r.priority ? String(r.priority) : '',
    measures: [...(r.measures ?? [])],
    residualOn: !!r.residual,
    residual: judgementFromApi(p, r.residual),
    inherentScore: r.inherent_score,
    residualScore: r.residual_score,
  };
}

export function newRisk(p: Profile): RiskDraft {
  return {
    uid: newUid('r'),
    eventMode: 'catalogue',
    eventCode: '',
    eventDescription: '',
    context: '',
    enablingFactors: [],
    inherent: emptyJudgement(p),
    decision: '',
    priority: '',
    measures: [],
    residualOn: false,
    residual: emptyJudgement(p),
  };
}

/** The priority as the API takes it: a positive integer, 0 when not set, NaN when not a number. */
export function parsePriority(s: string): number {
  const t = s.trim();
  if (t === '') return 0;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function riskToApi(p: Profile, r: RiskDraft): RiskEntry {
  const priority = parsePriority(r.priority);
  const out: RiskEntry = {
    event_code: r.eventMode === 'catalogue' ? r.eventCode : '',
    event_description: r.eventMode === 'own' ? r.eventDescription : '',
    context: r.context,
    enabling_factors: [...r.enablingFactors],
    inherent: judgementToApi(p, r.inherent),
    decision: r.decision as Decision,
    priority: Number.isNaN(priority) ? -1 : priority,
    measures: [...r.measures],
    residual: r.residualOn ? judgementToApi(p, r.residual) : null,
  };
  if (r.id) out.id = r.id;
  return out;
}

type PlannedField = 'type' | 'title' | 'description' | 'unit' | 'owner' | 'start' | 'end' | 'phases' | 'indicators';

/** What a measure plans, as the form holds it: from a measure read, or from the programme measure it links. */
export function plannedFromApi(m: Partial<Pick<Measure, PlannedField>>): Pick<MeasureDraft, PlannedField> {
  return {
    type: m.type ?? '',
    title: m.title ?? '',
    description: m.description ?? '',
    unit: m.unit ?? '',
    owner: m.owner ?? '',
    start: m.start ?? '',
    end: m.end ?? '',
    phases: (m.phases ?? []).map((x) => ({ title: x.title ?? '', start: x.start ?? '', deadline: x.deadline ?? '' })),
    indicators: (m.indicators ?? []).map((x) => ({ name: x.name ?? '', baseline: x.baseline ?? '', target: x.target ?? '' })),
  };
}

export function measureFromApi(m: Measure): MeasureDraft {
  return {
    uid: newUid('m'),
    id: m.id || undefined,
    key: m.key || m.id || '',
    nature: m.nature === 'general' ? 'general' : 'specific',
    generalCode: m.general_code ?? '',
    programmeMeasure: m.programme_measure || undefined,
    ...plannedFromApi(m),
    strategicObjective: m.strategic_objective ?? '',
    costNote: m.cost_note ?? '',
    enablingFactors: [...(m.enabling_factors ?? [])],
    status: (m.status as MeasureStatus) || 'new',
    missing: m.missing,
  };
}

export function newMeasure(existingKeys: string[]): MeasureDraft {
  const uid = newUid('m');
  let key = `nuova-${uid}`;
  while (existingKeys.includes(key)) key += '-x';
  return {
    uid,
    key,
    nature: 'specific',
    generalCode: '',
    type: '',
    title: '',
    description: '',
    unit: '',
    owner: '',
    start: '',
    end: '',
    phases: [],
    indicators: [],
    strategicObjective: '',
    costNote: '',
    enablingFactors: [],
    status: 'new',
  };
}

export function measureToApi(m: MeasureDraft): Measure {
  const out: Measure = {
    key: m.key,
    nature: m.nature,
    general_code: m.nature === 'general' ? m.generalCode : '',
    type: m.type,
    title: m.title,
    description: m.description,
    unit: m.unit,
    owner: m.owner,
    start: m.start,
    end: m.end,
    phases: m.phases.map((x) => ({ title: x.title, ...(x.start ? { start: x.start } : {}), deadline: x.deadline })),
    indicators: m.indicators.map((x) => ({ name: x.name, baseline: x.baseline, target: x.target })),
    strategic_objective: m.strategicObjective,
    cost_note: m.costNote,
    enabling_factors: [...m.enablingFactors],
    status: m.status,
  };
  if (m.id) out.id = m.id;
  // A link to the programme is kept as it is: dropping it would unlink the measure on save.
  if (m.nature === 'general' && m.programmeMeasure) out.programme_measure = m.programmeMeasure;
  return out;
}

/** What the editor sends: the drafts in order, at the version read, and the reasons given for saved measures
 * removed from the form (the server retires them, with that reason, when monitoring or another assessment
 * refers to them, and deletes them otherwise). */
export function documentToApi(p: Profile, version: number, risks: RiskDraft[], measures: MeasureDraft[], withdrawn: Measure[] = []): Assessment {
  const doc: Assessment = { version, risks: risks.map((r) => riskToApi(p, r)), measures: measures.map(measureToApi) };
  if (withdrawn.length > 0) doc.withdrawn_measures = withdrawn;
  return doc;
}

/** A saved measure removed from the form, with the reason the assessor gave (the server keeps it only if it
 * retires the measure). */
export function withdrawalOf(m: MeasureDraft, reason: string): Measure {
  return { ...measureToApi(m), withdrawn_reason: reason.trim() };
}

/** Longest reason for withdrawing a measure (domain.MaxWithdrawnReason). */
export const MAX_WITHDRAWN_REASON = 2000;

/** How the API's error paths map back onto the form: the uid of each risk and measure in the order sent, the
 * event mode of each risk, and the indicator codes of each judgement's values in the order sent. */
export interface PathContext {
  risks: Array<{ uid: string; own: boolean; inherent: string[]; residual: string[] }>;
  measures: Array<{ uid: string }>;
}

export function pathContext(doc: Assessment, risks: RiskDraft[], measures: MeasureDraft[]): PathContext {
  return {
    risks: risks.map((r, i) => ({
      uid: r.uid,
      own: r.eventMode === 'own',
      inherent: (doc.risks[i]?.inherent.values ?? []).map((v) => v.code ?? ''),
      residual: (doc.risks[i]?.residual?.values ?? []).map((v) => v.code ?? ''),
    })),
    measures: measures.map((m) => ({ uid: m.uid })),
  };
}

/** The enabling factors of the risks a measure treats (by its key or id), in the order first met: what the
 * editor suggests the measure addresses. */
export function suggestedFactors(m: Pick<MeasureDraft, 'key' | 'id'>, risks: Array<Pick<RiskDraft, 'measures' | 'enablingFactors'>>): string[] {
  const out: string[] = [];
  for (const r of risks) {
    if (!r.measures.includes(m.key) && !(m.id && r.measures.includes(m.id))) continue;
    for (const f of r.enablingFactors) if (!out.includes(f)) out.push(f);
  }
  return out;
}
