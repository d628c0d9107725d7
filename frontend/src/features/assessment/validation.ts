// Client-side checks of the obvious before sending (the server checks everything again and answers 422 with
// the same paths): the event, every indicator and its reason, the reasons of the judgement, the decision,
// the measures' required fields and dates. Messages are short and Italian: the summary adds where.
// A draft is saved as it is: with scope 'invalid' only values present but wrong are reported (a date that is
// no date, a phase outside the measure's dates, a negative priority), what is missing is left for submission.
import type { TFunction } from 'i18next';
import type { Assessment, RiskEntry } from '../../api/schema.gen';
import { MIN_OWN_EVENT, MIN_REASON, allIndicators, type JudgementDraft, type PathContext, type Profile, type RiskDraft } from './model';
import type { FormError } from './paths';

const chars = (s: string | undefined) => [...(s ?? '').trim()].length;
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime());

/** What validateAssessment reports: everything (before submitting) or only what would make a draft invalid. */
export type ValidationScope = 'all' | 'invalid';

/** An output list that drops what is only missing when the scope is 'invalid'. */
interface Sink {
  missing: (e: FormError) => void;
  invalid: (e: FormError) => void;
}

function validateJudgement(p: Profile, j: RiskEntry['inherent'], draft: JudgementDraft | undefined, base: string, t: TFunction, sink: Sink) {
  const out = { push: sink.missing };
  for (const ind of allIndicators(p)) {
    const k = j.values.findIndex((v) => v.code === ind.code);
    if (k < 0) {
      out.push({ path: `${base}.values`, indicator: ind.code, message: t('assessment:validation.indicatorValue') });
      // the reason of an indicator not yet valued is not in the document: the draft tells whether it is written
      if (p.indicator_reason_required && draft && chars(draft.values[ind.code]?.reason) === 0) {
        out.push({ path: `${base}.values`, indicator: ind.code, sub: 'reason', message: t('assessment:validation.indicatorReason') });
      }
      continue;
    }
    if (p.indicator_reason_required && chars(j.values[k].reason) === 0) {
      out.push({ path: `${base}.values[${k}].reason`, message: t('assessment:validation.indicatorReason') });
    }
  }
  if (p.likelihood_aggregation === 'manual' && (j.likelihood_manual === null || j.likelihood_manual === undefined)) {
    out.push({ path: `${base}.likelihood_manual`, message: t('assessment:validation.manualValue') });
  }
  if (p.impact_aggregation === 'manual' && (j.impact_manual === null || j.impact_manual === undefined)) {
    out.push({ path: `${base}.impact_manual`, message: t('assessment:validation.manualValue') });
  }
  if ((p.likelihood_aggregation === 'manual' || p.impact_aggregation === 'manual') && chars(j.manual_reason) < MIN_REASON) {
    out.push({ path: `${base}.manual_reason`, message: t('assessment:validation.reasonLength', { min: MIN_REASON }) });
  }
  if (j.override) {
    if (!j.override.level) out.push({ path: `${base}.override.level`, message: t('assessment:validation.overrideLevel') });
    if (chars(j.override.reason) < MIN_REASON) out.push({ path: `${base}.override.reason`, message: t('assessment:validation.reasonLength', { min: MIN_REASON }) });
  }
  if (chars(j.reason) < MIN_REASON) out.push({ path: `${base}.reason`, message: t('assessment:validation.reasonLength', { min: MIN_REASON }) });
}

/** Problems of the document about to be sent, with the API's field paths. The drafts, when given, let the
 * reasons of indicators not yet valued be reported at once too. */
export function validateAssessment(doc: Assessment, ctx: PathContext, p: Profile, t: TFunction, drafts?: RiskDraft[], scope: ValidationScope = 'all'): FormError[] {
  const list: FormError[] = [];
  const sink: Sink = { missing: (e) => scope === 'all' && list.push(e), invalid: (e) => list.push(e) };
  const out = { push: sink.missing };
  const bad = { push: sink.invalid };
  doc.risks.forEach((r, i) => {
    const base = `risks[${i}]`;
    if (ctx.risks[i]?.own) {
      if (chars(r.event_description) < MIN_OWN_EVENT) out.push({ path: `${base}.event_description`, message: t('assessment:validation.ownEvent', { min: MIN_OWN_EVENT }) });
    } else if (!r.event_code) {
      out.push({ path: `${base}.event_code`, message: t('assessment:validation.event') });
    }
    validateJudgement(p, r.inherent, drafts?.[i]?.inherent, `${base}.inherent`, t, sink);
    if (!r.decision) out.push({ path: `${base}.decision`, message: t('assessment:validation.decision') });
    if ((r.priority ?? 0) < 0) bad.push({ path: `${base}.priority`, message: t('assessment:validation.priority') });
    if (r.decision === 'treat_new_measures' && (r.measures ?? []).length === 0) {
      out.push({ path: `${base}.measures`, message: t('assessment:validation.treatNeedsMeasure') });
    }
    if (r.residual) validateJudgement(p, r.residual, drafts?.[i]?.residual, `${base}.residual`, t, sink);
  });
  doc.measures.forEach((m, i) => {
    const base = `measures[${i}]`;
    if (chars(m.title) === 0) out.push({ path: `${base}.title`, message: t('assessment:validation.measureTitle') });
    if (m.nature === 'general' && !m.general_code) out.push({ path: `${base}.general_code`, message: t('assessment:validation.generalCode') });
    if (!m.type) out.push({ path: `${base}.type`, message: t('assessment:validation.measureType') });
    const start = m.start ?? '';
    const end = m.end ?? '';
    const startOK = start !== '' && isDate(start);
    const endOK = end !== '' && isDate(end);
    if (start !== '' && !startOK) bad.push({ path: `${base}.start`, message: t('assessment:validation.date') });
    if (end !== '' && !endOK) bad.push({ path: `${base}.end`, message: t('assessment:validation.date') });
    if (startOK && endOK && end < start) bad.push({ path: `${base}.end`, message: t('assessment:validation.endBeforeStart') });
    (m.phases ?? []).forEach((ph, j) => {
      if (chars(ph.title) === 0) out.push({ path: `${base}.phases[${j}].title`, message: t('assessment:validation.phaseTitle') });
      const d = ph.deadline ?? '';
      if (d === '') out.push({ path: `${base}.phases[${j}].deadline`, message: t('assessment:validation.phaseDeadline') });
      else if (!isDate(d)) bad.push({ path: `${base}.phases[${j}].deadline`, message: t('assessment:validation.phaseDeadline') });
      else if ((startOK && d < start) || (endOK && d > end)) bad.push({ path: `${base}.phases[${j}].deadline`, message: t('assessment:validation.phaseOutside') });
      const s = ph.start ?? '';
      if (s !== '' && !isDate(s)) bad.push({ path: `${base}.phases[${j}].start`, message: t('assessment:validation.date') });
      else if (s !== '' && ((startOK && s < start) || (endOK && s > end))) bad.push({ path: `${base}.phases[${j}].start`, message: t('assessment:validation.phaseOutside') });
      else if (s !== '' && isDate(d) && d < s) bad.push({ path: `${base}.phases[${j}].deadline`, message: t('assessment:validation.phaseEndBeforeStart') });
    });
    (m.indicators ?? []).forEach((ind, j) => {
      if (chars(ind.name) === 0) out.push({ path: `${base}.indicators[${j}].name`, message: t('assessment:validation.indicatorName') });
    });
  });
  return list;
}
