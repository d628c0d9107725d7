// The measure's monitoring page: the measure as planned (owner, responsible unit by name, period, phases with
// their deadlines, indicators with baseline and target) and its history, round by round, newest first, across
// the cycles it was rolled forward from.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/Feedback';
import { ListTable } from '../../components/ListTable';
import { formatDate } from '../../lib/format';
import { checkBadgeClass, checkKey, sampleReasonText, statusBadgeClass, statusKey, type MeasureMonitoring } from './model';

/**
 * One list of the measure's plan (its phases, its indicators) under its heading: a sentence when the list is
 * empty, else a table whose rows are headed by the item's name (the caption repeats the heading for screen
 * readers); every value cell gets valueClassName.
 */
function PlanList({ title, none, testId, columns, rows, valueClassName }: {
  title: string;
  none: string;
  testId: string;
  /** The name column's heading, then the values'. */
  columns: string[];
  rows: Array<{ name?: string; values: ReactNode[] }>;
  valueClassName?: string;
}) {
  return (
    <>
      <h4 className="h6">{title}</h4>
      {rows.length === 0 ? (
        <p>{none}</p>
      ) : (
        <ListTable caption={title} hiddenCaption columns={columns} className="table-sm" testId={testId}>
          {rows.map((r, i) => (
            // The plan's items have no identity of their own: their order is the plan's.
            <tr key={i}>
              <th scope="row" className="fw-normal">
                {r.name}
              </th>
              {r.values.map((v, j) => (
                <td key={j} className={valueClassName}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}

export function MeasureHistory({ cycle, measureId }: { cycle: string; measureId: string }) {
  const { t } = useTranslation('monitoring');
  const [data, setData] = useState<MeasureMonitoring | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setData(null);
    setError(null);
    api
      .call<MeasureMonitoring>('GET /api/v1/cycles/:cycle/monitoring/measures/:measure', { params: { cycle, measure: measureId }, signal: ctl.signal })
      .then((d) => {
        if (!ctl.signal.aborted) setData(d);
      })
      .catch((err) => {
        if (!ctl.signal.aborted && (err as Error).name !== 'AbortError') setError(err);
      });
    return () => ctl.abort();
  }, [cycle, measureId]);

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <p role="status">{t('history.loading')}</p>;
  const m = data.measure;
  const phases = (m.phases ?? []).filter((p) => (p.title ?? '').trim() !== '');
  const indicators = (m.indicators ?? []).filter((i) => (i.name ?? '').trim() !== '');
  return (
    <section aria-labelledby="measure-plan-title" data-testid="measure-history" className="mt-3">
      <h3 id="measure-plan-title" className="h5">
        {t('history.planTitle')}
      </h3>
      <dl className="monitoring-dl">
        <dt>{t('history.owner')}</dt>
        <dd data-testid="measure-owner">{m.owner || '—'}</dd>
        <dt>{t('measure.unit')}</dt>
        <dd data-testid="measure-unit">
          {m.unit ? (
            <>
              {data.unit_title || m.unit} {data.unit_title && <span className="text-muted small">({m.unit})</span>}
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>{t('history.period')}</dt>
        <dd>{m.start || m.end ? t('history.periodValue', { start: m.start ? formatDate(m.start) : '—', end: m.end ? formatDate(m.end) : '—' }) : '—'}</dd>
        {data.risk_level && (
          <>
            <dt>{t('history.riskLevel')}</dt>
            <dd>{t(`history.level.${data.risk_level}`, { defaultValue: data.risk_level.replace(/_/g, ' ') })}</dd>
          </>
        )}
      </dl>
      <PlanList
        title={t('history.phases')}
        none={t('history.phasesNone')}
        testId="measure-phases"
        columns={[t('history.phase'), t('history.deadline')]}
        rows={phases.map((p) => ({ name: p.title, values: [p.deadline ? formatDate(p.deadline) : '—'] }))}
        valueClassName="text-nowrap"
      />
      <PlanList
        title={t('history.indicators')}
        none={t('history.indicatorsNone')}
        testId="measure-indicators"
        columns={[t('history.indicator'), t('history.baseline'), t('history.target')]}
        rows={indicators.map((x) => ({ name: x.name, values: [x.baseline || '—', x.target || '—'] }))}
      />
      <h3 className="h5">{t('history.roundsTitle')}</h3>
      {data.rounds.length === 0 ? (
        <p>{t('history.roundsNone')}</p>
      ) : (
        <ListTable
          caption={t('history.roundsTitle')}
          hiddenCaption
          columns={[t('history.round'), t('table.status'), t('table.check'), t('history.sample'), t('history.evidence')]}
          className="table-sm"
          testId="measure-rounds"
        >
          {data.rounds.map((r) => (
            <tr key={`${r.cycle}-${r.reference_date}`} data-testid={`measure-round-${r.cycle}-${r.reference_date}`}>
              <th scope="row" className="fw-normal text-nowrap">
                {formatDate(r.reference_date)}
                {r.cycle !== data.cycle && <span className="d-block small text-muted">{t('history.otherCycle', { cycle: r.cycle })}</span>}
                <span className="d-block small text-muted">{r.state === 'open' ? t('rounds.stateOpen') : t('rounds.stateClosed')}</span>
              </th>
              <td>
                <span className={statusBadgeClass(r.entry?.status)}>{t(statusKey(r.entry))}</span>
                {r.assessed_by_name && <span className="d-block small">{t('history.by', { name: r.assessed_by_name })}</span>}
                {r.overdue && <span className="d-block small text-danger">{t('table.overdue')}</span>}
              </td>
              <td>
                <span className={checkBadgeClass(r.entry?.check_outcome)}>{t(checkKey(r.entry))}</span>
                {r.checked_by_name && <span className="d-block small">{t('history.by', { name: r.checked_by_name })}</span>}
              </td>
              <td>{r.sampled ? sampleReasonText(t, r) : t('measure.no')}</td>
              <td>{r.evidence}</td>
            </tr>
          ))}
        </ListTable>
      )}
    </section>
  );
}
