// What changed on the server between the version the assessor started from and the current one, in words:
// shown when saving meets a version conflict, so the assessor can decide between their input and the other.
import type { TFunction } from 'i18next';
import type { Assessment, Measure, RiskEntry } from '../../api/schema.gen';
import { allIndicators, type Profile } from './model';

export interface Change {
  /** The section: "Valutazione", "Rischio 2 (ER-M-01)", "Misura 1 (Formazione …)". */
  where: string;
  /** What changed there, one line each. */
  what: string[];
}

type Judgement = RiskEntry['inherent'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const text = (s: string | undefined | null) => (s ?? '').trim();

function short(s: string, n = 60): string {
  const v = s.trim();
  return v.length > n ? `${v.slice(0, n - 1)}…` : v;
}

function riskName(r: RiskEntry, n: number, t: TFunction): string {
  const event = r.event_code || short(r.event_description ?? '', 40);
  return event ? t('assessment:diff.riskNamed', { n, event }) : t('assessment:where.risk', { n });
}

function measureName(m: Measure, n: number, t: TFunction): string {
  return m.title?.trim() ? t('assessment:diff.measureNamed', { n, title: short(m.title, 40) }) : t('assessment:where.measure', { n });
}

function valueLabel(p: Profile | null, code: string, value: number | undefined): string {
  if (value === undefined) return '–';
  const level = p ? allIndicators(p).find((i) => i.code === code)?.levels.find((l) => l.value === value) : undefined;
  return level ? `${value} – ${level.label}` : String(value);
}

function diffJudgement(a: Judgement | null | undefined, b: Judgement | null | undefined, label: string, p: Profile | null, t: TFunction, out: string[]) {
  if (!a && !b) return;
  if (!a || !b) {
    out.push(b ? t('assessment:diff.judgementAdded', { what: label }) : t('assessment:diff.judgementRemoved', { what: label }));
    return;
  }
  const codes = new Set([...(a.values ?? []).map((v) => v.code ?? ''), ...(b.values ?? []).map((v) => v.code ?? '')]);
  for (const code of codes) {
    const va = a.values.find((v) => v.code === code);
    const vb = b.values.find((v) => v.code === code);
    if (va?.value !== vb?.value) out.push(t('assessment:diff.valueChanged', { what: label, code, from: valueLabel(p, code, va?.value), to: valueLabel(p, code, vb?.value) }));
    if (text(va?.reason) !== text(vb?.reason)) out.push(t('assessment:diff.indicatorReasonChanged', { what: label, code }));
  }
  if (text(a.reason) !== text(b.reason)) out.push(t('assessment:diff.reasonChanged', { what: label }));
  if ((a.likelihood_manual ?? null) !== (b.likelihood_manual ?? null) || (a.impact_manual ?? null) !== (b.impact_manual ?? null) || text(a.manual_reason) !== text(b.manual_reason)) {
    out.push(t('assessment:diff.manualChanged', { what: label }));
  }
  if (!same(a.override, b.override)) out.push(t('assessment:diff.overrideChanged', { what: label }));
}

function diffRisk(a: RiskEntry, b: RiskEntry, p: Profile | null, t: TFunction): string[] {
  const out: string[] = [];
  if ((a.event_code ?? '') !== (b.event_code ?? '') || (!b.event_code && text(a.event_description) !== text(b.event_description))) {
    out.push(t('assessment:diff.field', { field: t('assessment:risk.event'), from: a.event_code || short(a.event_description ?? '', 40) || '–', to: b.event_code || short(b.event_description ?? '', 40) || '–' }));
  }
  if (text(a.context) !== text(b.context)) out.push(t('assessment:diff.textChanged', { field: t('assessment:risk.context') }));
  if (!same([...(a.enabling_factors ?? [])].sort(), [...(b.enabling_factors ?? [])].sort())) {
    out.push(t('assessment:diff.field', { field: t('assessment:risk.factors'), from: (a.enabling_factors ?? []).join(', ') || '–', to: (b.enabling_factors ?? []).join(', ') || '–' }));
  }
  diffJudgement(a.inherent, b.inherent, t('assessment:judgement.inherent'), p, t, out);
  if (a.decision !== b.decision) {
    out.push(t('assessment:diff.field', { field: t('assessment:risk.decision'), from: decisionLabel(a.decision, t), to: decisionLabel(b.decision, t) }));
  }
  if ((a.priority ?? 0) !== (b.priority ?? 0)) out.push(t('assessment:diff.field', { field: t('assessment:risk.priority'), from: a.priority || '–', to: b.priority || '–' }));
  if (!same([...(a.measures ?? [])].sort(), [...(b.measures ?? [])].sort())) out.push(t('assessment:diff.linksChanged'));
  diffJudgement(a.residual, b.residual, t('assessment:judgement.residual'), p, t, out);
  return out;
}

function decisionLabel(d: string | undefined, t: TFunction): string {
  switch (d) {
    case 'treat_new_measures':
      return t('assessment:decision.treat_new_measures');
    case 'keep_existing_measures':
      return t('assessment:decision.keep_existing_measures');
    case 'analyse_further':
      return t('assessment:decision.analyse_further');
  }
  return '–';
}

function diffMeasure(a: Measure, b: Measure, t: TFunction): string[] {
  const out: string[] = [];
  const fields: Array<[keyof Measure, string, boolean]> = [
    ['title', t('assessment:measure.title'), false],
    ['nature', t('assessment:measure.nature'), false],
    ['general_code', t('assessment:measure.general'), false],
    ['type', t('assessment:measure.type'), false],
    ['description', t('assessment:measure.description'), true],
    ['unit', t('assessment:measure.unit'), false],
    ['owner', t('assessment:measure.owner'), false],
    ['start', t('assessment:measure.start'), false],
    ['end', t('assessment:measure.end'), false],
    ['strategic_objective', t('assessment:measure.objective'), false],
    ['status', t('assessment:measure.status'), false],
  ];
  for (const [key, label, long] of fields) {
    const va = text(a[key] as string | undefined);
    const vb = text(b[key] as string | undefined);
    if (va === vb) continue;
    out.push(long ? t('assessment:diff.textChanged', { field: label }) : t('assessment:diff.field', { field: label, from: short(va) || '–', to: short(vb) || '–' }));
  }
  if (!same(a.phases ?? [], b.phases ?? [])) out.push(t('assessment:diff.phasesChanged', { from: (a.phases ?? []).length, to: (b.phases ?? []).length }));
  if (!same(a.indicators ?? [], b.indicators ?? [])) out.push(t('assessment:diff.indicatorsChanged', { from: (a.indicators ?? []).length, to: (b.indicators ?? []).length }));
  return out;
}

/** Pairs items by id (saved items keep their id); items without one pair by position. */
function pair<T extends { id?: string }>(base: T[], current: T[]): { both: Array<[T, T, number]>; added: Array<[T, number]>; removed: Array<[T, number]> } {
  const both: Array<[T, T, number]> = [];
  const added: Array<[T, number]> = [];
  const used = new Set<number>();
  current.forEach((c, i) => {
    let j = c.id ? base.findIndex((b) => b.id === c.id) : -1;
    if (j < 0 && !c.id && base[i] && !base[i].id) j = i;
    if (j >= 0 && !used.has(j)) {
      used.add(j);
      both.push([base[j], c, i]);
    } else added.push([c, i]);
  });
  const removed: Array<[T, number]> = [];
  base.forEach((b, j) => {
    if (!used.has(j)) removed.push([b, j]);
  });
  return { both, added, removed };
}

/** The changes from base to current, grouped by section; empty when the content is the same. */
export function diffAssessments(base: Assessment, current: Assessment, p: Profile | null, t: TFunction): Change[] {
  const changes: Change[] = [];
  const general: string[] = [];
  if ((base.state ?? 'draft') !== (current.state ?? 'draft')) {
    general.push(t('assessment:diff.state', { from: t(`common:states.${base.state ?? 'draft'}`), to: t(`common:states.${current.state ?? 'draft'}`) }));
  }
  const risks = pair(base.risks ?? [], current.risks ?? []);
  for (const [r, i] of risks.added) general.push(t('assessment:diff.riskAdded', { name: riskName(r, i + 1, t) }));
  for (const [r, j] of risks.removed) general.push(t('assessment:diff.riskRemoved', { name: riskName(r, j + 1, t) }));
  const measures = pair(base.measures ?? [], current.measures ?? []);
  for (const [m, i] of measures.added) general.push(t('assessment:diff.measureAdded', { name: measureName(m, i + 1, t) }));
  for (const [m, j] of measures.removed) general.push(t('assessment:diff.measureRemoved', { name: measureName(m, j + 1, t) }));
  if (general.length > 0) changes.push({ where: t('assessment:diff.general'), what: general });
  for (const [a, b, i] of risks.both) {
    const what = diffRisk(a, b, p, t);
    if (what.length > 0) changes.push({ where: riskName(b, i + 1, t), what });
  }
  for (const [a, b, i] of measures.both) {
    const what = diffMeasure(a, b, t);
    if (what.length > 0) changes.push({ where: measureName(b, i + 1, t), what });
  }
  return changes;
}
