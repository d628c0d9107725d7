// "Come è calcolato": beside a computed risk level, how it was obtained — the indicator values, the aggregation
// rule of the cycle's profile for likelihood and impact, the matrix cell (or the P×I band of a numeric profile),
// and the override with its reason. A disclosure, closed by default, shared by every screen that shows a level.
import { useTranslation } from 'react-i18next';
import type { Score } from '../api/schema.gen';
import { formatNumber } from '../lib/format';

/** What of the cycle's profile the explanation needs (domain.Profile). */
export interface HowProfile {
  kind: 'qualitative' | 'numeric' | string;
  likelihood_indicators: Array<{ code: string; name: string }>;
  impact_indicators: Array<{ code: string; name: string }>;
  likelihood_aggregation: string;
  impact_aggregation: string;
  risk_levels?: Array<{ code: string; label: string }>;
  bands?: Array<{ min: number; max: number; level: string }>;
}

/** What of the judgement it needs: the indicator values, the manual values and the override. */
export interface HowJudgement {
  values?: Array<{ code?: string; value?: number }>;
  likelihood_manual?: number | null;
  impact_manual?: number | null;
  manual_reason?: string;
  override?: { level?: string; reason?: string } | null;
}

export function HowComputed({ score, profile, judgement, id }: { score: Score; profile: HowProfile | null; judgement?: HowJudgement | null; id?: string }) {
  const { t } = useTranslation('common');
  if (!profile) return null;
  const label = (code: string | undefined) => (code ? t(`levels.${code}`, { defaultValue: profile.risk_levels?.find((l) => l.code === code)?.label ?? code }) : '—');
  const valueOf = (code: string) => judgement?.values?.find((v) => v.code === code)?.value;
  const list = (inds: Array<{ code: string; name: string }>) =>
    inds.map((i) => `${i.code} = ${valueOf(i.code) ?? '—'}`).join(', ') || '—';
  const numeric = profile.kind === 'numeric';
  const rule = (agg: string, manual: number | null | undefined) => {
    if (agg === 'manual' && manual !== undefined && manual !== null) return t('how.rules.manualValue', { value: manual });
    if (numeric && agg === 'mean') return t('how.rules.meanNumeric');
    return t(`how.rules.${agg}`, { defaultValue: agg });
  };
  const band = numeric ? profile.bands?.find((b) => score.product !== undefined && score.product >= b.min && (score.product < b.max || b.max === 25)) : undefined;
  return (
    <details className="how-computed mt-1" id={id} data-testid="how-computed">
      <summary>{t('how.title')}</summary>
      <ol className="small mb-1">
        <li>
          {t('how.likelihood', { values: list(profile.likelihood_indicators), rule: rule(profile.likelihood_aggregation, judgement?.likelihood_manual), result: formatNumber(score.likelihood ?? 0) })}
        </li>
        <li>{t('how.impact', { values: list(profile.impact_indicators), rule: rule(profile.impact_aggregation, judgement?.impact_manual), result: formatNumber(score.impact ?? 0) })}</li>
        {judgement?.manual_reason && <li>{t('how.manualReason', { reason: judgement.manual_reason })}</li>}
        {numeric ? (
          <li>
            {t('how.product', { p: formatNumber(score.likelihood ?? 0), i: formatNumber(score.impact ?? 0), product: formatNumber(score.product ?? 0), level: label(score.computed_level) })}
            {band && <> {t('how.band', { min: formatNumber(band.min), max: formatNumber(band.max) })}</>}
          </li>
        ) : (
          <li>{t('how.cell', { l: score.cell?.[0] ?? score.likelihood, i: score.cell?.[1] ?? score.impact, level: label(score.computed_level) })}</li>
        )}
        {score.overridden ? (
          <li>{t('how.overridden', { level: label(score.level), computed: label(score.computed_level), reason: judgement?.override?.reason || '—' })}</li>
        ) : (
          <li>{t('how.notOverridden')}</li>
        )}
      </ol>
    </details>
  );
}
