// The read-only view of an assessment: each risk with its judgement per indicator and the reasons, the level
// as text, the treatment; each measure with its phases and indicators. Description lists and tables, no
// disabled inputs (read-only users read, they do not face a form they cannot use).
import { useTranslation } from 'react-i18next';
import type { Assessment, Judgement, Measure, RiskEntry, Score } from '../../api/schema.gen';
import { LevelBadge } from '../../components/Badges';
import { HowComputed } from '../../components/HowComputed';
import { formatDate } from '../../lib/format';
import { answerLabel, indicatorName, type Lookups } from './labels';

function Empty() {
  const { t } = useTranslation('review');
  return <span className="text-muted">{t('view.notGiven')}</span>;
}

function Text({ value }: { value?: string | null }) {
  return value && value.trim() ? <span className="text-prewrap">{value}</span> : <Empty />;
}

function JudgementBlock({ j, score, lookups, caption, idPrefix }: { j: Judgement; score?: Score; lookups: Lookups; caption: string; idPrefix: string }) {
  const { t } = useTranslation('review');
  const order = lookups.indicatorOrder;
  const values = [...(j.values ?? [])].sort((a, b) => {
    const ia = order.indexOf(a.code ?? '');
    const ib = order.indexOf(b.code ?? '');
    return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
  });
  return (
    <>
      {values.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table table-sm review-judgement" id={`${idPrefix}-table`}>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('view.indicator')}</th>
                <th scope="col">{t('view.dimension')}</th>
                <th scope="col">{t('view.value')}</th>
                <th scope="col">{t('view.valueReason')}</th>
              </tr>
            </thead>
            <tbody>
              {values.map((v, i) => (
                <tr key={`${v.code}-${i}`}>
                  <th scope="row">{indicatorName(lookups, v.code ?? '')}</th>
                  <td>{lookups.likelihoodCodes.has(v.code ?? '') ? t('view.likelihood') : lookups.indicators.has(v.code ?? '') ? t('view.impact') : ''}</td>
                  <td>{answerLabel(lookups, v.code ?? '', v.value)}</td>
                  <td>
                    <Text value={v.reason} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <dl className="review-dl">
        {score?.likelihood_label && (
          <>
            <dt>{t('view.likelihood')}</dt>
            <dd>{score.likelihood_label}</dd>
          </>
        )}
        {score?.impact_label && (
          <>
            <dt>{t('view.impact')}</dt>
            <dd>{score.impact_label}</dd>
          </>
        )}
        {j.manual_reason && (
          <>
            <dt>{t('view.manualReason')}</dt>
            <dd className="text-prewrap">{j.manual_reason}</dd>
          </>
        )}
        <dt>{t('view.level')}</dt>
        <dd>
          <LevelBadge level={score?.level} />
          {score?.overridden && j.override?.level && (
            <span className="ms-2">
              {t('view.overridden', { computed: t(`common:levels.${score.computed_level ?? ''}`, { defaultValue: score.computed_level ?? '' }) })}
            </span>
          )}
        </dd>
        {score && lookups.profile && (
          <dd className="w-100">
            <HowComputed score={score} profile={lookups.profile} judgement={j} />
          </dd>
        )}
        {j.override?.reason && (
          <>
            <dt>{t('view.overrideReason')}</dt>
            <dd className="text-prewrap">{j.override.reason}</dd>
          </>
        )}
        <dt>{t('view.reason')}</dt>
        <dd>
          <Text value={j.reason} />
        </dd>
      </dl>
    </>
  );
}

function RiskView({ risk, index, measures, lookups }: { risk: RiskEntry; index: number; measures: Measure[]; lookups: Lookups }) {
  const { t } = useTranslation('review');
  const n = index + 1;
  const treated = (risk.measures ?? []).map((ref) => {
    const m = measures.find((x) => x.key === ref || x.id === ref);
    return { ref, title: m?.title };
  });
  return (
    <article className="review-item" aria-labelledby={`risk-${n}-title`}>
      <h3 className="h5" id={`risk-${n}-title`}>
        {t('view.riskTitle', { n })}: {risk.event_code ? `${risk.event_code} – ` : ''}
        {risk.event_description}
      </h3>
      <dl className="review-dl">
        <dt>{t('view.context')}</dt>
        <dd>
          <Text value={risk.context} />
        </dd>
        <dt>{t('view.enablingFactors')}</dt>
        <dd>
          {(risk.enabling_factors ?? []).length === 0 ? (
            <Empty />
          ) : (
            <ul className="mb-0 ps-3">
              {(risk.enabling_factors ?? []).map((f) => (
                <li key={f}>{lookups.factors.get(f) ? `${lookups.factors.get(f)} (${f})` : f}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('view.inherentLevel')}</dt>
        <dd>
          <LevelBadge level={risk.inherent_score?.level} />
        </dd>
        <dt>{t('view.residualLevel')}</dt>
        <dd>{risk.residual_score ? <LevelBadge level={risk.residual_score.level} /> : <Empty />}</dd>
        <dt>{t('view.decision')}</dt>
        <dd>{risk.decision ? t(`decisions.${risk.decision}`, { defaultValue: risk.decision }) : <Empty />}</dd>
        <dt>{t('view.priority')}</dt>
        <dd>{risk.priority ? risk.priority : <Empty />}</dd>
        <dt>{t('view.treatedBy')}</dt>
        <dd>
          {treated.length === 0 ? (
            <Empty />
          ) : (
            <ul className="mb-0 ps-3">
              {treated.map((m) => (
                <li key={m.ref}>{m.title ?? t('view.otherMeasure')}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <h4 className="h6 mt-3">{t('view.inherentTitle')}</h4>
      <JudgementBlock j={risk.inherent} score={risk.inherent_score} lookups={lookups} caption={t('view.inherentCaption', { n })} idPrefix={`risk-${n}-inherent`} />
      {risk.residual && (
        <details className="review-details">
          <summary>{t('view.residualTitle')}</summary>
          <JudgementBlock j={risk.residual} score={risk.residual_score} lookups={lookups} caption={t('view.residualCaption', { n })} idPrefix={`risk-${n}-residual`} />
        </details>
      )}
    </article>
  );
}

function MeasureView({ m, index, lookups }: { m: Measure; index: number; lookups: Lookups }) {
  const { t } = useTranslation('review');
  const n = index + 1;
  const type = lookups.types.get(m.type);
  return (
    <article className="review-item" aria-labelledby={`measure-${n}-title`}>
      <h3 className="h5" id={`measure-${n}-title`}>
        {t('view.measureTitle', { n })}: {m.title}
      </h3>
      {(m.missing ?? []).length > 0 && (
        <div className="alert alert-warning py-2" role="note">
          {t('view.missing')}{' '}
          {(m.missing ?? []).map((x) => t(`missing.${x}`, { defaultValue: x })).join(', ')}.
        </div>
      )}
      <dl className="review-dl">
        <dt>{t('view.nature')}</dt>
        <dd>
          {m.nature === 'general'
            ? t('view.natureGeneral', { name: lookups.generals.get(m.general_code ?? '') ? `${m.general_code} – ${lookups.generals.get(m.general_code ?? '')}` : m.general_code })
            : t('view.natureSpecific')}
        </dd>
        <dt>{t('view.type')}</dt>
        <dd>{type ? `${m.type} – ${type}` : m.type}</dd>
        <dt>{t('view.status')}</dt>
        <dd>{t(`measureStatus.${m.status ?? 'new'}`, { defaultValue: m.status ?? '' })}</dd>
        <dt>{t('view.description')}</dt>
        <dd>
          <Text value={m.description} />
        </dd>
        <dt>{t('view.unit')}</dt>
        <dd>
          <Text value={m.unit} />
        </dd>
        <dt>{t('view.owner')}</dt>
        <dd>
          <Text value={m.owner} />
        </dd>
        <dt>{t('view.period')}</dt>
        <dd>{m.start || m.end ? t('view.periodValue', { start: formatDate(m.start) || '…', end: formatDate(m.end) || '…' }) : <Empty />}</dd>
        {m.strategic_objective && (
          <>
            <dt>{t('view.objective')}</dt>
            <dd>{m.strategic_objective}</dd>
          </>
        )}
        {m.cost_note && (
          <>
            <dt>{t('view.costNote')}</dt>
            <dd>{m.cost_note}</dd>
          </>
        )}
        {(m.enabling_factors ?? []).length > 0 && (
          <>
            <dt>{t('view.measureFactors')}</dt>
            <dd>{(m.enabling_factors ?? []).map((f) => (lookups.factors.get(f) ? `${lookups.factors.get(f)} (${f})` : f)).join('; ')}</dd>
          </>
        )}
      </dl>
      {(m.phases ?? []).length > 0 ? (
        <div className="table-responsive">
          <table className="table stack-table table-sm">
            <caption>{t('view.phasesCaption', { title: m.title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('view.phase')}</th>
                <th scope="col">{t('view.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {(m.phases ?? []).map((p, i) => (
                <tr key={i}>
                  <th scope="row">{p.title}</th>
                  <td>{formatDate(p.deadline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('view.noPhases')}</p>
      )}
      {(m.indicators ?? []).length > 0 ? (
        <div className="table-responsive">
          <table className="table stack-table table-sm">
            <caption>{t('view.indicatorsCaption', { title: m.title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('view.measureIndicator')}</th>
                <th scope="col">{t('view.baseline')}</th>
                <th scope="col">{t('view.target')}</th>
              </tr>
            </thead>
            <tbody>
              {(m.indicators ?? []).map((x, i) => (
                <tr key={i}>
                  <th scope="row">{x.name}</th>
                  <td>{x.baseline || <Empty />}</td>
                  <td>{x.target || <Empty />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('view.noIndicators')}</p>
      )}
    </article>
  );
}

export function AssessmentView({ assessment, lookups }: { assessment: Assessment; lookups: Lookups }) {
  const { t } = useTranslation('review');
  const risks = assessment.risks ?? [];
  const measures = assessment.measures ?? [];
  return (
    <>
      <section className="mb-4" aria-labelledby="risks-title">
        <h2 className="h4" id="risks-title">
          {t('view.risks', { count: risks.length })}
        </h2>
        {risks.length === 0 ? <p>{t('view.noRisks')}</p> : risks.map((r, i) => <RiskView key={r.id ?? i} risk={r} index={i} measures={measures} lookups={lookups} />)}
      </section>
      <section className="mb-4" aria-labelledby="measures-title">
        <h2 className="h4" id="measures-title">
          {t('view.measures', { count: measures.length })}
        </h2>
        {measures.length === 0 ? <p>{t('view.noMeasures')}</p> : measures.map((m, i) => <MeasureView key={m.id ?? m.key ?? i} m={m} index={i} lookups={lookups} />)}
      </section>
    </>
  );
}
