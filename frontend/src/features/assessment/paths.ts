// Field ids of the editor, and the mapping from the API's error paths (risks[0].inherent.values[2].value)
// to them. Client-side validation reports the same paths, so one mapping serves both.
import type { TFunction } from 'i18next';
import type { PathContext } from './model';

export type Side = 'inherent' | 'residual';

const safe = (code: string) => code.replace(/[^A-Za-z0-9_-]/g, '_');

export const ids = {
  risks: 'risks',
  measures: 'measures',
  risk: (r: string) => r,
  event: (r: string) => `${r}-event`,
  ownEvent: (r: string) => `${r}-event-own`,
  context: (r: string) => `${r}-context`,
  factors: (r: string) => `${r}-factors`,
  decision: (r: string) => `${r}-decision`,
  priority: (r: string) => `${r}-priority`,
  riskMeasures: (r: string) => `${r}-measures`,
  judgement: (r: string, side: Side) => `${r}-${side === 'inherent' ? 'inh' : 'res'}`,
  indicator: (jp: string, code: string) => `${jp}-${safe(code)}`,
  indicatorOption: (jp: string, code: string, value: number) => `${jp}-${safe(code)}-v${value}`,
  indicatorReason: (jp: string, code: string) => `${jp}-${safe(code)}-reason`,
  reason: (jp: string) => `${jp}-reason`,
  likelihoodManual: (jp: string) => `${jp}-lman`,
  impactManual: (jp: string) => `${jp}-iman`,
  manualReason: (jp: string) => `${jp}-manreason`,
  override: (jp: string) => `${jp}-override`,
  overrideLevel: (jp: string) => `${jp}-override-level`,
  overrideReason: (jp: string) => `${jp}-override-reason`,
  measure: (m: string) => m,
  measureField: (m: string, field: MeasureField) => `${m}-${field}`,
  phase: (m: string, j: number, field: 'title' | 'start' | 'deadline') => `${m}-ph${j}-${field}`,
  phases: (m: string) => `${m}-phases`,
  measureIndicator: (m: string, j: number, field: 'name' | 'baseline' | 'target') => `${m}-ind${j}-${field}`,
  measureIndicators: (m: string) => `${m}-indicators`,
};

export type MeasureField = 'title' | 'nature' | 'general' | 'programme' | 'type' | 'description' | 'unit' | 'owner' | 'start' | 'end' | 'objective' | 'status' | 'costNote' | 'factors';

const measureFields: Record<string, MeasureField> = {
  title: 'title',
  nature: 'nature',
  general_code: 'general',
  programme_measure: 'programme',
  type: 'type',
  description: 'description',
  unit: 'unit',
  owner: 'owner',
  start: 'start',
  end: 'end',
  strategic_objective: 'objective',
  status: 'status',
  cost_note: 'costNote',
};

/** An error of the form: the API path of the field, the message to show, and the indicator it names when
 * the path is a judgement's whole list of values (an indicator not valued). */
export interface FormError {
  path: string;
  message: string;
  indicator?: string;
  /** With indicator: the error is about the indicator's reason, not its value. */
  sub?: 'reason';
}

/** The indicator a server message names ("indicator KRI-2 (...) is not valued"). */
export function indicatorNamed(message: string | undefined): string | undefined {
  return /\bindicator (\S+)/.exec(message ?? '')?.[1];
}

/** The indicator a judgement-relative path names by code: "indicators.KRI-1.value" (as the completeness
 * lists what is missing). */
export function indicatorByCode(jrest: string): { code: string; part: 'value' | 'reason' } | null {
  const m = /^indicators\.(.+)\.(value|reason)$/.exec(jrest);
  return m ? { code: m[1], part: m[2] as 'value' | 'reason' } : null;
}

/** The id of the form element an API field path refers to, or null when the form has none. */
export function fieldIdForPath(path: string, ctx: PathContext, indicator?: string, sub?: 'reason'): string | null {
  if (path === 'risks') return ids.risks;
  if (path === 'measures') return ids.measures;
  let m = /^risks\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) {
    const risk = ctx.risks[Number(m[1])];
    if (!risk) return ids.risks;
    const r = risk.uid;
    const rest = m[2] ?? '';
    if (rest === '') return ids.risk(r);
    if (rest === 'event_code') return ids.event(r);
    if (rest === 'event_description') return risk.own ? ids.ownEvent(r) : ids.event(r);
    if (rest === 'context') return ids.context(r);
    if (/^enabling_factors(\[\d+\])?$/.test(rest)) return ids.factors(r);
    if (rest === 'decision') return ids.decision(r);
    if (rest === 'priority') return ids.priority(r);
    if (/^measures(\[\d+\])?$/.test(rest)) return ids.riskMeasures(r);
    const j = /^(inherent|residual)(?:\.(.*))?$/.exec(rest);
    if (!j) return ids.risk(r);
    const side = j[1] as Side;
    const jp = ids.judgement(r, side);
    const jrest = j[2] ?? '';
    const v = /^values\[(\d+)\](?:\.(\w+))?$/.exec(jrest);
    if (v) {
      const code = (side === 'inherent' ? risk.inherent : risk.residual)[Number(v[1])];
      if (!code) return jp;
      return v[2] === 'reason' ? ids.indicatorReason(jp, code) : ids.indicator(jp, code);
    }
    if (jrest === 'values') return indicator ? (sub === 'reason' ? ids.indicatorReason(jp, indicator) : ids.indicator(jp, indicator)) : jp;
    // The completeness names an indicator by code (a value not given has no index in values).
    const byCode = indicatorByCode(jrest);
    if (byCode) return byCode.part === 'reason' ? ids.indicatorReason(jp, byCode.code) : ids.indicator(jp, byCode.code);
    switch (jrest) {
      case 'reason':
        return ids.reason(jp);
      case 'likelihood_manual':
        return ids.likelihoodManual(jp);
      case 'impact_manual':
        return ids.impactManual(jp);
      case 'manual_reason':
        return ids.manualReason(jp);
      case 'override':
      case 'override.level':
        return ids.overrideLevel(jp);
      case 'override.reason':
        return ids.overrideReason(jp);
    }
    return jp;
  }
  m = /^measures\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) {
    const measure = ctx.measures[Number(m[1])];
    if (!measure) return ids.measures;
    const u = measure.uid;
    const rest = m[2] ?? '';
    if (measureFields[rest]) return ids.measureField(u, measureFields[rest]);
    if (/^enabling_factors(\[\d+\])?$/.test(rest)) return ids.measureField(u, 'factors');
    const ph = /^phases\[(\d+)\]\.(title|start|deadline)$/.exec(rest);
    if (ph) return ids.phase(u, Number(ph[1]), ph[2] as 'title' | 'start' | 'deadline');
    if (/^phases(\[\d+\])?$/.test(rest)) return ids.phases(u);
    const ind = /^indicators\[(\d+)\]\.(name|baseline|target)$/.exec(rest);
    if (ind) return ids.measureIndicator(u, Number(ind[1]), ind[2] as 'name' | 'baseline' | 'target');
    if (/^indicators(\[\d+\])?$/.test(rest)) return ids.measureIndicators(u);
    return ids.measure(u);
  }
  return null;
}

/** Where a path is, in words, for the error summary: "Rischio 1, rischio inerente, KRI-2, motivazione". */
export function describePath(path: string, ctx: PathContext, t: TFunction, indicator?: string, sub?: 'reason'): string {
  const parts: string[] = [];
  let m = /^risks\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) {
    const i = Number(m[1]);
    const risk = ctx.risks[i];
    parts.push(t('assessment:where.risk', { n: i + 1 }));
    const rest = m[2] ?? '';
    const j = /^(inherent|residual)(?:\.(.*))?$/.exec(rest);
    if (j) {
      parts.push(j[1] === 'inherent' ? t('assessment:where.inherent') : t('assessment:where.residual'));
      const jrest = j[2] ?? '';
      const v = /^values\[(\d+)\](?:\.(\w+))?$/.exec(jrest);
      if (v) {
        const code = risk ? (j[1] === 'inherent' ? risk.inherent : risk.residual)[Number(v[1])] : undefined;
        if (code) parts.push(code);
        if (v[2] === 'reason') parts.push(t('assessment:where.indicatorReason'));
      } else if (jrest === 'values') {
        if (indicator) parts.push(indicator);
        if (indicator && sub === 'reason') parts.push(t('assessment:where.indicatorReason'));
      } else if (indicatorByCode(jrest)) {
        const byCode = indicatorByCode(jrest)!;
        parts.push(byCode.code);
        if (byCode.part === 'reason') parts.push(t('assessment:where.indicatorReason'));
      } else if (jrest === 'reason') parts.push(t('assessment:where.reason'));
      else if (jrest === 'likelihood_manual') parts.push(t('assessment:where.likelihoodManual'));
      else if (jrest === 'impact_manual') parts.push(t('assessment:where.impactManual'));
      else if (jrest === 'manual_reason') parts.push(t('assessment:where.manualReason'));
      else if (jrest === 'override' || jrest === 'override.level') parts.push(t('assessment:where.overrideLevel'));
      else if (jrest === 'override.reason') parts.push(t('assessment:where.overrideReason'));
    } else if (rest === 'event_code' || rest === 'event_description') parts.push(t('assessment:where.event'));
    else if (rest === 'context') parts.push(t('assessment:where.context'));
    else if (rest.startsWith('enabling_factors')) parts.push(t('assessment:where.factors'));
    else if (rest === 'decision') parts.push(t('assessment:where.decision'));
    else if (rest === 'priority') parts.push(t('assessment:where.priority'));
    else if (rest.startsWith('measures')) parts.push(t('assessment:where.riskMeasures'));
    return parts.join(', ');
  }
  m = /^measures\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) {
    parts.push(t('assessment:where.measure', { n: Number(m[1]) + 1 }));
    const rest = m[2] ?? '';
    const ph = /^phases\[(\d+)\]\.(title|start|deadline)$/.exec(rest);
    const ind = /^indicators\[(\d+)\]\.(name|baseline|target)$/.exec(rest);
    if (ph) parts.push(t(ph[2] === 'title' ? 'assessment:where.phaseTitle' : ph[2] === 'start' ? 'assessment:where.phaseStart' : 'assessment:where.phaseDeadline', { n: Number(ph[1]) + 1 }));
    else if (ind) parts.push(t('assessment:where.indicatorName', { n: Number(ind[1]) + 1 }));
    else if (rest.startsWith('phases')) parts.push(t('assessment:where.phases'));
    else if (rest.startsWith('indicators')) parts.push(t('assessment:where.indicators'));
    else if (rest.startsWith('enabling_factors')) parts.push(measureFieldName('factors', t));
    else if (measureFields[rest]) parts.push(measureFieldName(measureFields[rest], t));
    return parts.join(', ');
  }
  if (path === 'risks') return t('assessment:where.risks');
  if (path === 'measures') return t('assessment:where.measures');
  return path;
}

function measureFieldName(f: MeasureField, t: TFunction): string {
  switch (f) {
    case 'title':
      return t('assessment:measure.title');
    case 'nature':
      return t('assessment:measure.nature');
    case 'general':
      return t('assessment:measure.general');
    case 'programme':
      return t('assessment:measure.programme');
    case 'type':
      return t('assessment:measure.type');
    case 'description':
      return t('assessment:measure.description');
    case 'unit':
      return t('assessment:measure.unit');
    case 'owner':
      return t('assessment:measure.owner');
    case 'start':
      return t('assessment:measure.start');
    case 'end':
      return t('assessment:measure.end');
    case 'objective':
      return t('assessment:measure.objective');
    case 'status':
      return t('assessment:measure.status');
    case 'costNote':
      return t('assessment:measure.costNote');
    case 'factors':
      return t('assessment:measure.factors');
  }
}

/** Moves focus to a field: the element itself, or the first control inside a group. */
export function focusField(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  const focusable = el.matches('input, select, textarea, button, [tabindex]') ? el : el.querySelector<HTMLElement>('input, select, textarea, button');
  (focusable ?? el).focus();
  (focusable ?? el).scrollIntoView?.({ block: 'center' });
}
