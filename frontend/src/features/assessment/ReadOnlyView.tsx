// The assessment as text and tables, for who may not edit it (another unit's director, the RPCT, the OIV)
// or when its state does not allow editing (submitted, approved): no form controls at all.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Assessment, Measure, RiskEntry } from '../../api/schema.gen';
import { ListTable } from '../../components/ListTable';
import { formatDate } from '../../lib/format';
import { refLabel, type Catalogues, type RefTables } from './data';
import { allIndicators, type Profile } from './model';
import { missingLabel, statusLabel } from './MeasureEditor';
import { decisionLabel } from './RiskEditor';
import { WithdrawnMeasures } from './WithdrawnMeasures';
import { ScoreSummary } from './ScoreView';
import { SupportingDataList } from './SupportingData';

type Judgement = RiskEntry['inherent'];

function JudgementView({ j, score, profile, caption, cycle }: { j: Judgement; score?: RiskEntry['inherent_score']; profile: Profile | null; caption: string; cycle?: string }) {
  const { t } = useTranslation('assessment');
  const indicators = profile ? allIndicators(profile) : [];
  const name = (code: string) => indicators.find((i) => i.code === code);
  return (
    <>
      <ListTable caption={caption} columns={[t('readonly.indicator'), t('readonly.value'), t('readonly.reason')]} className="table-sm align-top">
        {j.values.map((v) => {
          const ind = name(v.code ?? '');
          const level = ind?.levels.find((l) => l.value === v.value);
          return (
            <tr key={v.code}>
              <th scope="row" className="fw-normal">
                {ind ? `${v.code} – ${ind.name}` : v.code}
              </th>
              <td className="text-nowrap">{level ? `${v.value} – ${level.label}` : v.value}</td>
              <td>{v.reason || '–'}</td>
            </tr>
          );
        })}
      </ListTable>
      {score && <ScoreSummary score={score} profile={profile} judgement={j} />}
      <dl className="row mt-2 mb-0">
        {(j.likelihood_manual !== undefined && j.likelihood_manual !== null) || (j.impact_manual !== undefined && j.impact_manual !== null) ? (
          <>
            <dt className="col-md-4">{t('judgement.manualReason')}</dt>
            <dd className="col-md-8">{j.manual_reason || '–'}</dd>
          </>
        ) : null}
        {j.override && (
          <>
            <dt className="col-md-4">{t('judgement.overrideReason')}</dt>
            <dd className="col-md-8">{j.override.reason || '–'}</dd>
          </>
        )}
        <dt className="col-md-4">{t('judgement.reason')}</dt>
        <dd className="col-md-8">{j.reason || '–'}</dd>
        {cycle && (j.supporting_data?.length ?? 0) > 0 && (
          <>
            <dt className="col-md-4">{t('judgement.supportingData')}</dt>
            <dd className="col-md-8">
              <SupportingDataList cycle={cycle} value={j.supporting_data ?? []} />
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

function measureLabel(measures: Measure[], key: string, t: TFunction): string {
  const i = measures.findIndex((m) => m.key === key || m.id === key);
  if (i < 0) return t('risk.foreignMeasure', { id: key.slice(0, 8) });
  return t('risk.measureOption', { n: i + 1, title: measures[i].title });
}

export function ReadOnlyView({ assessment, profile, catalogues, refs }: { assessment: Assessment; profile: Profile | null; catalogues: Catalogues | null; refs: RefTables | null }) {
  const { t } = useTranslation('assessment');
  const factor = (code: string) => catalogues?.factors.find((f) => f.code === code)?.description;
  const type = (code: string) => catalogues?.measureTypes.find((x) => x.code === code)?.name;
  const general = (code: string) => catalogues?.generalMeasures.find((x) => x.code === code)?.name;
  return (
    <div className="assessment-readonly" data-testid="assessment-readonly">
      <h2 className="h3">{t('editor.risksTitle')}</h2>
      {assessment.risks.length === 0 && <p>{t('readonly.noRisks')}</p>}
      {assessment.risks.map((r, i) => (
        <section key={r.id ?? i} className="risk-card mb-4" aria-labelledby={`ro-risk-${i}`}>
          <h3 id={`ro-risk-${i}`} className="h4">
            {r.event_code ? t('risk.headingEvent', { n: i + 1, code: r.event_code }) : t('risk.heading', { n: i + 1 })}
          </h3>
          <dl className="row">
            <dt className="col-md-4">{t('risk.event')}</dt>
            <dd className="col-md-8">{r.event_description || '–'}</dd>
            <dt className="col-md-4">{t('risk.context')}</dt>
            <dd className="col-md-8">{r.context || '–'}</dd>
            <dt className="col-md-4">{t('risk.factors')}</dt>
            <dd className="col-md-8">
              {(r.enabling_factors ?? []).length === 0 ? (
                '–'
              ) : (
                <ul className="mb-0 ps-3">
                  {(r.enabling_factors ?? []).map((f) => (
                    <li key={f}>{factor(f) ? `${f} – ${factor(f)}` : f}</li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <h4 className="h5">{t('judgement.inherent')}</h4>
          <JudgementView j={r.inherent} score={r.inherent_score} profile={profile} caption={t('readonly.inherentCaption', { n: i + 1 })} cycle={assessment.cycle} />
          <h4 className="h5 mt-3">{t('risk.ponderazione')}</h4>
          <dl className="row">
            <dt className="col-md-4">{t('risk.decision')}</dt>
            <dd className="col-md-8">{decisionLabel(r.decision, t)}</dd>
            <dt className="col-md-4">{t('risk.priority')}</dt>
            <dd className="col-md-8">{r.priority ? r.priority : t('readonly.notSet')}</dd>
            <dt className="col-md-4">{t('readonly.linkedMeasures')}</dt>
            <dd className="col-md-8">
              {(r.measures ?? []).length === 0 ? (
                '–'
              ) : (
                <ul className="mb-0 ps-3">
                  {(r.measures ?? []).map((k) => (
                    <li key={k}>{measureLabel(assessment.measures, k, t)}</li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <h4 className="h5 mt-3">{t('judgement.residual')}</h4>
          {r.residual ? <JudgementView j={r.residual} score={r.residual_score} profile={profile} caption={t('readonly.residualCaption', { n: i + 1 })} cycle={assessment.cycle} /> : <p>{t('readonly.noResidual')}</p>}
        </section>
      ))}

      <h2 className="h3 mt-4">{t('editor.measuresTitle')}</h2>
      {assessment.measures.length === 0 && <p>{t('readonly.noMeasures')}</p>}
      {assessment.measures.map((m, i) => (
        <section key={m.id ?? i} className="measure-card mb-4" aria-labelledby={`ro-measure-${i}`}>
          <h3 id={`ro-measure-${i}`} className="h4">
            {t('measure.headingTitled', { n: i + 1, title: m.title })}
          </h3>
          <dl className="row">
            <dt className="col-md-4">{t('measure.nature')}</dt>
            <dd className="col-md-8">{m.nature === 'general' ? `${t('measure.natureGeneral')}${m.general_code ? ` – ${m.general_code}${general(m.general_code) ? ` ${general(m.general_code)}` : ''}` : ''}` : t('measure.natureSpecific')}</dd>
            <dt className="col-md-4">{t('measure.type')}</dt>
            <dd className="col-md-8">{type(m.type) ? `${m.type} – ${type(m.type)}` : m.type || '–'}</dd>
            <dt className="col-md-4">{t('measure.description')}</dt>
            <dd className="col-md-8">{m.description || '–'}</dd>
            <dt className="col-md-4">{t('measure.unit')}</dt>
            <dd className="col-md-8">{m.unit ? refLabel(refs?.units, m.unit) : '–'}</dd>
            <dt className="col-md-4">{t('measure.owner')}</dt>
            <dd className="col-md-8">{m.owner || '–'}</dd>
            <dt className="col-md-4">{t('readonly.period')}</dt>
            <dd className="col-md-8">{m.start || m.end ? t('readonly.fromTo', { from: formatDate(m.start) || '–', to: formatDate(m.end) || '–' }) : '–'}</dd>
            <dt className="col-md-4">{t('measure.status')}</dt>
            <dd className="col-md-8">{statusLabel(m.status, t)}</dd>
            <dt className="col-md-4">{t('measure.objective')}</dt>
            <dd className="col-md-8">{m.strategic_objective ? refLabel(refs?.objectives, m.strategic_objective) : '–'}</dd>
            <dt className="col-md-4">{t('measure.costNote')}</dt>
            <dd className="col-md-8">{m.cost_note || '–'}</dd>
            <dt className="col-md-4">{t('measure.factors')}</dt>
            <dd className="col-md-8">{(m.enabling_factors ?? []).length === 0 ? '–' : (m.enabling_factors ?? []).map((f) => (factor(f) ? `${f} – ${factor(f)}` : f)).join('; ')}</dd>
            {m.missing && m.missing.length > 0 && (
              <>
                <dt className="col-md-4">{t('readonly.missing')}</dt>
                <dd className="col-md-8">{m.missing.map((c) => missingLabel(c, t)).join(', ')}</dd>
              </>
            )}
          </dl>
          {(m.phases ?? []).length > 0 && (
            <ListTable caption={t('readonly.phasesCaption', { n: i + 1 })} columns={[t('readonly.phase'), t('readonly.phaseStart'), t('readonly.deadline')]} className="table-sm">
              {(m.phases ?? []).map((p, j) => (
                // A measure's phases have no identity of their own: their order is the plan's.
                <tr key={j}>
                  <td>{p.title}</td>
                  <td>{p.start ? formatDate(p.start) : '—'}</td>
                  <td>{formatDate(p.deadline)}</td>
                </tr>
              ))}
            </ListTable>
          )}
          {(m.indicators ?? []).length > 0 && (
            <ListTable caption={t('readonly.indicatorsCaption', { n: i + 1 })} columns={[t('readonly.indicatorName'), t('readonly.baseline'), t('readonly.target')]} className="table-sm">
              {(m.indicators ?? []).map((x, j) => (
                <tr key={j}>
                  <td>{x.name}</td>
                  <td>{x.baseline || '–'}</td>
                  <td>{x.target || '–'}</td>
                </tr>
              ))}
            </ListTable>
          )}
        </section>
      ))}
      <WithdrawnMeasures measures={assessment.withdrawn_measures} />
    </div>
  );
}
