// Local scoring: the same arithmetic as domain.Profile.Score, so the level updates while the assessor
// answers. It is a preview: the server's score (POST /methodology/score, and the saved document) is the truth.
import type { Score } from '../../api/schema.gen';
import { MIN_REASON, allIndicators, type Aggregation, type JudgementDraft, type Profile, type ScaleLevel } from './model';

function roundHalfUp(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

function aggregate(agg: Aggregation, values: number[], manual: number | null): number | null {
  switch (agg) {
    case 'manual':
      return manual;
    case 'mean':
      return roundHalfUp(
        values.reduce((a, b) => a + b, 0),
        values.length,
      );
    case 'mode': {
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      let best = 0;
      let bestCount = 0;
      for (const [v, c] of counts) {
        if (c > bestCount || (c === bestCount && v > best)) {
          best = v;
          bestCount = c;
        }
      }
      return best;
    }
    default:
      return Math.max(...values);
  }
}

function label(scale: ScaleLevel[], v: number): string {
  return scale.find((l) => l.value === v)?.label ?? '';
}

/** Indicators of the profile not yet valued in the judgement. */
export function missingIndicators(p: Profile, j: JudgementDraft): string[] {
  return allIndicators(p)
    .filter((ind) => j.values[ind.code]?.value === null || j.values[ind.code]?.value === undefined)
    .map((ind) => ind.code);
}

/** The score the judgement's values give, or null while an indicator (or a manual value) is missing. */
export function localScore(p: Profile, j: JudgementDraft): Score | null {
  if (missingIndicators(p, j).length > 0) return null;
  const lValues = p.likelihood_indicators.map((ind) => j.values[ind.code].value as number);
  const iValues = p.impact_indicators.map((ind) => j.values[ind.code].value as number);
  let s: Score;
  if (p.kind === 'qualitative') {
    const l = aggregate(p.likelihood_aggregation, lValues, j.likelihoodManual);
    const i = aggregate(p.impact_aggregation, iValues, j.impactManual);
    if (l === null || i === null) return null;
    const computed = p.matrix?.[l - 1]?.[i - 1] ?? '';
    s = { likelihood: l, likelihood_label: label(p.likelihood_scale, l), impact: i, impact_label: label(p.impact_scale, i), product: 0, computed_level: computed, cell: [l, i] };
  } else {
    const sumP = lValues.reduce((a, b) => a + b, 0);
    const nP = lValues.length;
    let iNum = 0;
    let iDen = 1;
    if (p.impact_aggregation === 'max') iNum = Math.max(0, ...iValues);
    else {
      iNum = iValues.reduce((a, b) => a + b, 0);
      iDen = iValues.length;
    }
    const pCell = Math.min(5, Math.max(0, roundHalfUp(sumP, nP)));
    const iCell = Math.min(5, Math.max(0, roundHalfUp(iNum, iDen)));
    const product = (sumP * iNum) / (nP * iDen);
    const bands = p.bands ?? [];
    const last = bands.length - 1;
    const band = bands.find((b, k) => product >= b.min && (product < b.max || (k === last && product <= b.max)));
    s = {
      likelihood: sumP / nP,
      likelihood_label: label(p.likelihood_scale, pCell),
      impact: iNum / iDen,
      impact_label: label(p.impact_scale, iCell),
      product,
      computed_level: band?.level ?? '',
      cell: [pCell, iCell],
    };
  }
  s.level = s.computed_level;
  s.overridden = false;
  if (j.override && j.overrideLevel && j.overrideLevel !== s.computed_level) {
    s.level = j.overrideLevel;
    s.overridden = true;
  }
  s.rank = p.risk_levels.find((l) => l.code === s.level)?.rank ?? 0;
  return s;
}

function longEnough(s: string): boolean {
  return [...s.trim()].length >= MIN_REASON;
}

/** Whether the server would score the judgement (POST /methodology/score validates the whole judgement:
 * every value, the reasons the profile asks for, the manual choice and the override with their reasons). */
export function readyForServer(p: Profile, j: JudgementDraft): boolean {
  if (missingIndicators(p, j).length > 0) return false;
  if (p.indicator_reason_required && allIndicators(p).some((ind) => j.values[ind.code].reason.trim() === '')) return false;
  const manual = p.likelihood_aggregation === 'manual' || p.impact_aggregation === 'manual';
  if (p.likelihood_aggregation === 'manual' && j.likelihoodManual === null) return false;
  if (p.impact_aggregation === 'manual' && j.impactManual === null) return false;
  if (manual && !longEnough(j.manualReason)) return false;
  if (j.override && (!j.overrideLevel || !longEnough(j.overrideReason))) return false;
  return longEnough(j.reason);
}

/** The part of a judgement that changes its score: the server is asked again only when this changes. */
export function scoreKey(p: Profile, j: JudgementDraft): string {
  const values = allIndicators(p).map((ind) => j.values[ind.code]?.value ?? '-');
  return JSON.stringify([values, j.likelihoodManual, j.impactManual, j.override ? j.overrideLevel : '']);
}

/** The label of a risk level: the profile's own, else the shared Italian names. */
export function levelLabel(p: Profile | null | undefined, code: string | undefined, fallback: (code: string) => string): string {
  if (!code) return fallback('');
  return p?.risk_levels.find((l) => l.code === code)?.label ?? fallback(code);
}
