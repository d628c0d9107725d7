// The monitoring of measures: shapes of the API (as the OpenAPI document's RoundView, RoundMeasure,
// MonitoringRound(Summary) and Evidence schemas, with the entry's fields always present), the closed lists of
// statuses and outcomes with their badge colours, and the checks the forms run before sending.
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';

export interface MonitoringPlan {
  frequency: string;
  reference_dates: string[];
  sampling_criteria: string;
  sample_percent: number;
  /** Every measure of a high-level risk (alto, molto alto) is in the sample. */
  sample_high_risk?: boolean;
  /** Every measure past its end date and not implemented is in the sample. */
  sample_overdue?: boolean;
}

/** Why a measure was drawn: a criterion of the plan, or the random share of its stratum (unit and area). */
export type SampleReason = 'high_risk' | 'overdue' | 'random';

export interface IndicatorValue {
  name: string;
  value: string;
}

export interface MonitoringEntry {
  measure_id: string;
  status: string;
  reason: string;
  indicator_values: IndicatorValue[];
  notes: string;
  assessed_by: string;
  check_outcome: string;
  check_notes: string;
  suitability: string;
  suitability_reason: string;
  checked_by: string;
  /** Counts the changes of the self-assessment; checked_version is the one the check looked at. */
  self_version?: number;
  checked_version?: number;
  /** The self-assessment changed after the check: the check must be looked at again. */
  check_outdated?: boolean;
}

export interface Evidence {
  id: string;
  measure_id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage?: string;
  uploaded_by?: string;
  uploaded_at: string;
}

/** A measure of the round; `evidence` is the server's list of its files in the round (when absent, only the
 * files uploaded from this page are known). */
export interface RoundMeasure {
  id: string;
  leaf: string;
  title: string;
  type: string;
  unit: string;
  /** the responsible unit's name ('' when unknown): shown first, the code beside it */
  unit_title?: string;
  end: string;
  entry: MonitoringEntry | null;
  sampled: boolean;
  overdue: boolean;
  /** Why the measure was drawn ('' or absent when not drawn), and the stratum of a random draw. */
  sample_reason?: SampleReason | '';
  sample_stratum?: string;
  /** The macro-process of the measure's action; the highest inherent level of the risks it treats. */
  area?: string;
  risk_level?: string;
  evidence?: Evidence[];
  /** Set when the measure was withdrawn from its assessment: shown for its history, no new entries. */
  withdrawn_at?: string;
  withdrawn_reason?: string;
}

/** A measure's monitoring page (GET …/monitoring/measures/:measure): the measure as planned and its rounds,
 * newest first, including those of the cycles it was rolled forward from. */
export interface MeasureMonitoring {
  cycle: string;
  measure: {
    id?: string;
    title: string;
    owner: string;
    unit: string;
    start: string;
    end: string;
    phases: Array<{ title: string; deadline: string }>;
    indicators: Array<{ name: string; baseline: string; target: string }>;
  };
  leaf: string;
  leaf_title: string;
  unit_title: string;
  risk_level: string;
  monitored: boolean;
  rounds: Array<{
    cycle: string;
    measure_id: string;
    reference_date: string;
    state: string;
    entry: MonitoringEntry | null;
    assessed_by_name: string;
    checked_by_name: string;
    sampled: boolean;
    sample_reason: SampleReason | '';
    sample_stratum?: string;
    overdue: boolean;
    evidence: number;
  }>;
}

export interface UnitTodo {
  measures: number;
  missing_self_assessments: number;
  overdue: number;
}

export interface Round {
  reference_date: string;
  state: 'open' | 'closed' | string;
  /** A decimal string (a 64-bit seed does not fit a JavaScript number); "0" before any draw. */
  sample_seed: string;
  sample: string[];
  /** The criteria the last draw applied (null before any draw). */
  sample_criteria?: { high_risk: boolean; overdue: boolean; percent: number } | null;
  opened_at: string;
  closed_at: string | null;
}

/** A round in the cycle's list of rounds (GET …/monitoring/rounds), newest first. */
export interface RoundSummary extends Round {
  measures: number;
  self_assessed: number;
  checked: number;
  /** Checks whose self-assessment changed after them. */
  outdated_checks?: number;
  /** The same counts for the ente's programme of general measures (monitored on the Misure generali page). */
  programme_measures?: number;
  programme_self_assessed?: number;
  programme_checked?: number;
}

/** The summary of a round as the list would give it, from the round itself (after a change made on the page). */
export function summaryOf(v: RoundView): RoundSummary {
  return {
    ...v.round,
    measures: v.measures.length,
    self_assessed: v.measures.filter((m) => m.entry !== null).length,
    checked: v.measures.filter((m) => (m.entry?.check_outcome ?? '') !== '').length,
    outdated_checks: outdatedChecks(v),
  };
}

/** How many checks of the round are outdated: their self-assessment changed after them. */
export function outdatedChecks(v: RoundView): number {
  return v.measures.filter((m) => m.entry?.check_outdated === true).length;
}

/** The Italian wording (namespace monitoring) of why a measure was drawn, with the stratum of a random draw;
 * '' when it was not drawn. */
export function sampleReasonText(t: TFunction, m: Pick<RoundMeasure, 'sampled' | 'sample_reason' | 'sample_stratum'>): string {
  if (!m.sampled) return '';
  switch (m.sample_reason) {
    case 'high_risk':
      return t('monitoring:sample.highRisk');
    case 'overdue':
      return t('monitoring:sample.overdue');
    default:
      return m.sample_stratum ? t('monitoring:sample.randomIn', { stratum: m.sample_stratum }) : t('monitoring:sample.random');
  }
}

/** The seed of a drawn sample, '' when none has been drawn (the server sends "0"). */
export function drawnSeed(r: Pick<Round, 'sample_seed'>): string {
  const s = String(r.sample_seed ?? '').trim();
  return s === '' || /^0+$/.test(s) ? '' : s;
}

/** The largest seed the server records (2^63 - 1). */
export const maxSeed = '9223372036854775807';

/** Whether a seed typed by the RPCT is acceptable: empty (a random one) or a whole number from 1 to 2^63 - 1,
 * compared as text so that no digit is lost. */
export function seedValid(s: string): boolean {
  const x = s.trim();
  if (x === '') return true;
  if (!/^[1-9]\d*$/.test(x)) return false;
  return x.length < maxSeed.length || (x.length === maxSeed.length && x <= maxSeed);
}

export interface RoundView {
  round: Round;
  measures: RoundMeasure[];
  units: Record<string, UnitTodo>;
}

/** The implementation statuses of a self-assessment, in the order the form offers them. */
export const statuses = ['non_avviata', 'in_corso_nei_tempi', 'in_ritardo', 'parzialmente_attuata', 'attuata', 'non_attuata', 'non_piu_applicabile'] as const;
export type Status = (typeof statuses)[number];

export const checkOutcomes = ['confermato', 'integrazioni_richieste', 'non_confermato'] as const;
export type CheckOutcome = (typeof checkOutcomes)[number];

export const suitabilities = ['idonea', 'parzialmente_idonea', 'non_idonea'] as const;
export type Suitability = (typeof suitabilities)[number];

/** Same minimum as the server (domain.MinCommentLength) for a reason. */
export const minReason = 10;

const statusClasses: Record<string, string> = {
  attuata: 'bg-success',
  non_piu_applicabile: 'bg-dark',
  in_corso_nei_tempi: 'bg-primary',
  parzialmente_attuata: 'bg-warning text-dark',
  in_ritardo: 'bg-warning text-dark',
  non_avviata: 'bg-danger',
  non_attuata: 'bg-danger',
};

const checkClasses: Record<string, string> = {
  confermato: 'bg-success',
  integrazioni_richieste: 'bg-warning text-dark',
  non_confermato: 'bg-danger',
};

const neutral = 'bg-light text-dark border';

/** Badge classes of a self-assessment status ('' when not self-assessed yet). */
export function statusBadgeClass(status: string | undefined): string {
  return `badge ${(status && statusClasses[status]) || neutral}`;
}

export function checkBadgeClass(outcome: string | undefined): string {
  return `badge ${(outcome && checkClasses[outcome]) || neutral}`;
}

/** The label key (namespace monitoring) of a measure's self-assessment status; "missing" when none. */
export function statusKey(entry: MonitoringEntry | null): string {
  const s = entry?.status;
  return s && (statuses as readonly string[]).includes(s) ? `status.${s}` : 'status.missing';
}

/** The label key of a measure's check: "none" without a self-assessment, "pending" while unchecked. */
export function checkKey(entry: MonitoringEntry | null): string {
  if (!entry) return 'check.none';
  const o = entry.check_outcome;
  return o && (checkOutcomes as readonly string[]).includes(o) ? `check.${o}` : 'check.pending';
}

export const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00:00`).getTime());

export type Problems = Record<string, string>; // field → problem code (fieldErrors.<code>)

export interface PlanDraft {
  frequency: string;
  reference_dates: string[];
  sampling_criteria: string;
  sample_percent: string;
  sample_high_risk: boolean;
  sample_overdue: boolean;
}

export function planDraft(p: MonitoringPlan | null | undefined): PlanDraft {
  return {
    frequency: p?.frequency ?? '',
    reference_dates: p?.reference_dates?.length ? [...p.reference_dates] : [''],
    sampling_criteria: p?.sampling_criteria ?? '',
    sample_percent: p ? String(p.sample_percent) : '',
    sample_high_risk: p?.sample_high_risk ?? false,
    sample_overdue: p?.sample_overdue ?? false,
  };
}

/** Checks the plan form; the fields are frequency, date-<i>, sample_percent. */
export function validatePlan(d: PlanDraft): Problems {
  const out: Problems = {};
  if (!d.frequency.trim()) out.frequency = 'required';
  const dates = d.reference_dates.map((x) => x.trim());
  if (dates.length === 0 || dates.every((x) => x === '')) out['date-0'] = 'dates_required';
  dates.forEach((x, i) => {
    if (x === '') {
      if (dates.length > 1) out[`date-${i}`] = 'required';
    } else if (!isIsoDate(x)) out[`date-${i}`] = 'date_invalid';
    else if (dates.indexOf(x) !== i) out[`date-${i}`] = 'date_duplicate';
  });
  const pct = d.sample_percent.trim();
  if (pct === '') out.sample_percent = 'required';
  else if (!/^\d+$/.test(pct) || Number(pct) > 100) out.sample_percent = 'percent_range';
  return out;
}

export function planBody(d: PlanDraft): MonitoringPlan {
  return {
    frequency: d.frequency.trim(),
    reference_dates: [...new Set(d.reference_dates.map((x) => x.trim()).filter(Boolean))].sort(),
    sampling_criteria: d.sampling_criteria.trim(),
    sample_percent: Number(d.sample_percent.trim()),
    sample_high_risk: d.sample_high_risk,
    sample_overdue: d.sample_overdue,
  };
}

/** The plan form's field of an API path (reference_dates[2] → date-2). */
export function planFieldOf(path: string): string | undefined {
  const m = /^reference_dates\[(\d+)\]$/.exec(path);
  if (m) return `date-${m[1]}`;
  return ['frequency', 'sample_percent', 'sampling_criteria'].includes(path) ? path : undefined;
}

/** An indicator of the measure as planned in the register, with the value measured in the round. */
export interface IndicatorRow {
  name: string;
  target?: string;
  baseline?: string;
  value: string;
}

/** The indicator rows of the form: the measure's planned indicators, then any value recorded under a name the
 * measure no longer has (kept so that saving does not drop it silently). */
export function indicatorRows(planned: Array<{ name?: string; target?: string; baseline?: string }>, recorded: IndicatorValue[]): IndicatorRow[] {
  const rows: IndicatorRow[] = planned
    .filter((p) => (p.name ?? '').trim() !== '')
    .map((p) => ({ name: p.name!.trim(), target: p.target, baseline: p.baseline, value: recorded.find((r) => r.name === p.name!.trim())?.value ?? '' }));
  for (const r of recorded) if (!rows.some((x) => x.name === r.name)) rows.push({ name: r.name, value: r.value });
  return rows;
}

export interface SelfAssessmentDraft {
  status: string;
  reason: string;
  notes: string;
  indicators: IndicatorRow[];
}

export const maxIndicatorValue = 200;

/**
 * Checks the self-assessment: a status from the list; a reason of at least 10 characters for any status but
 * "attuata" (as the server); a measure declared attuata states the value reached for each of its indicators;
 * values stay short. Fields: status, reason, indicator-<i>.
 */
export function validateSelfAssessment(d: SelfAssessmentDraft): Problems {
  const out: Problems = {};
  if (!(statuses as readonly string[]).includes(d.status)) out.status = 'status_required';
  else if (d.status !== 'attuata' && d.reason.trim().length < minReason) out.reason = d.reason.trim() ? 'reason_short' : 'reason_required';
  d.indicators.forEach((r, i) => {
    const v = r.value.trim();
    if (v.length > maxIndicatorValue) out[`indicator-${i}`] = 'value_long';
    else if (!v && d.status === 'attuata' && r.target !== undefined) out[`indicator-${i}`] = 'value_required';
  });
  return out;
}

export function selfAssessmentBody(d: SelfAssessmentDraft) {
  return {
    status: d.status,
    reason: d.reason.trim(),
    notes: d.notes.trim(),
    indicator_values: d.indicators.filter((r) => r.value.trim() !== '').map((r) => ({ name: r.name, value: r.value.trim() })),
  };
}

export interface CheckDraft {
  check_outcome: string;
  check_notes: string;
  suitability: string;
  suitability_reason: string;
}

/** Checks the RPCT's check: an outcome; notes that tell the unit what is missing when not simply confirmed; a
 * suitability judgement other than "idonea" explained. */
export function validateCheck(d: CheckDraft): Problems {
  const out: Problems = {};
  if (!(checkOutcomes as readonly string[]).includes(d.check_outcome)) out.check_outcome = 'outcome_required';
  else if (d.check_outcome !== 'confermato' && d.check_notes.trim().length < minReason) out.check_notes = d.check_notes.trim() ? 'reason_short' : 'check_notes_required';
  if (!(suitabilities as readonly string[]).includes(d.suitability)) out.suitability = 'suitability_required';
  else if (d.suitability !== 'idonea' && d.suitability_reason.trim().length < minReason)
    out.suitability_reason = d.suitability_reason.trim() ? 'reason_short' : 'suitability_reason_required';
  return out;
}

/** The check as sent; selfVersion is the version of the self-assessment the RPCT read, so that a check of a
 * self-assessment the unit changed meanwhile is refused instead of recorded against the new one. */
export function checkBody(d: CheckDraft, selfVersion?: number) {
  return {
    check_outcome: d.check_outcome,
    check_notes: d.check_notes.trim(),
    suitability: d.suitability,
    suitability_reason: d.suitability_reason.trim(),
    ...(selfVersion ? { self_version: selfVersion } : {}),
  };
}

/** What the server accepts as evidence (it detects the type from the bytes, not the name). */
export const evidenceAccept = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.csv';
export const defaultEvidenceMaxMB = 20;

/** The key (namespace monitoring) of the message for a failed upload, and the size limit when the server said it. */
export function uploadProblem(err: unknown): { key: string; maxMB?: number } {
  if (!(err instanceof ApiError)) return { key: 'evidence.errors.generic' };
  if (err.status === 413) {
    const mb = /(\d+)\s*MB/.exec(err.problem.detail ?? '')?.[1];
    return { key: 'evidence.errors.too_large', maxMB: mb ? Number(mb) : undefined };
  }
  const fieldCode = err.fieldErrors.find((f) => f.field === 'file')?.code;
  switch (fieldCode ?? err.code) {
    case 'file_type_refused':
      return { key: 'evidence.errors.type_refused' };
    case 'file_name_refused':
      return { key: 'evidence.errors.name_refused' };
    case 'database_unavailable':
      return { key: 'evidence.errors.unavailable' };
    case 'file_empty':
      return { key: 'evidence.errors.empty' };
    case 'required':
    case 'multipart_required':
      return { key: 'evidence.errors.missing' };
    case 'evidence_duplicate':
      return { key: 'evidence.errors.duplicate' };
    case 'upload_incomplete':
      return { key: 'evidence.errors.incomplete' };
    case 'round_closed':
      return { key: 'evidence.errors.round_closed' };
    case 'forbidden':
      return { key: 'evidence.errors.forbidden' };
  }
  return { key: 'evidence.errors.generic' };
}

/** A file size in Italian units (1,5 MB). */
export function formatSize(bytes: number): string {
  const fmt = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${fmt.format(bytes)} byte`;
  if (bytes < 1024 * 1024) return `${fmt.format(bytes / 1024)} kB`;
  return `${fmt.format(bytes / (1024 * 1024))} MB`;
}

/** The units of a round in code order, with their counts. */
export function unitRows(view: RoundView): Array<{ unit: string } & UnitTodo> {
  return Object.entries(view.units)
    .map(([unit, u]) => ({ unit, ...u }))
    .sort((a, b) => a.unit.localeCompare(b.unit, 'it', { numeric: true }));
}

export interface MeasureFilter {
  unit: string; // '' all, '@mine' the user's units, else a unit code
  status: string; // '' all, 'missing', or a status
  sampledOnly: boolean;
  overdueOnly: boolean;
}

export function filterMeasures(measures: RoundMeasure[], f: MeasureFilter, myUnits: string[]): RoundMeasure[] {
  return measures.filter((m) => {
    if (f.unit === '@mine' ? !myUnits.includes(m.unit) : f.unit !== '' && m.unit !== f.unit) return false;
    if (f.status === 'missing' ? m.entry !== null : f.status !== '' && m.entry?.status !== f.status) return false;
    if (f.sampledOnly && !m.sampled) return false;
    if (f.overdueOnly && !m.overdue) return false;
    return true;
  });
}

/** The date to show first: the latest open round, else the latest closed one, else the first planned date. */
export function defaultDate(dates: string[], rounds: Record<string, Pick<Round, 'state'> | null | undefined>): string {
  const sorted = [...dates].sort();
  const open = sorted.filter((d) => rounds[d]?.state === 'open');
  if (open.length) return open[open.length - 1];
  const any = sorted.filter((d) => rounds[d]);
  if (any.length) return any[any.length - 1];
  return sorted[0] ?? '';
}
