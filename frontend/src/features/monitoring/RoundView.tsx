// One round of monitoring: its state and sample, the RPCT's steps (sample, close) behind confirmations, the
// report downloads, what each unit still owes, and the measures table with the panel of the chosen measure.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/Feedback';
import { ConfirmDialog, ProblemAlert, TextField } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { MeasurePanel } from './MeasurePanel';
import {
  checkBadgeClass,
  checkKey,
  drawnSeed,
  filterMeasures,
  outdatedChecks,
  sampleReasonText,
  seedValid,
  statusBadgeClass,
  statuses,
  statusKey,
  unitRows,
  type Evidence,
  type MeasureFilter,
  type MonitoringPlan,
  type RoundView as View,
} from './model';

function ReportButtons({ cycle, date }: { cycle: string; date: string }) {
  const { t } = useTranslation('monitoring');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const get = async (kind: 'xlsx' | 'pdf') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    announce(t('rounds.reportPreparing'));
    try {
      const op = kind === 'xlsx' ? 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date/report.xlsx' : 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date/report.pdf';
      await api.download(op, { params: { cycle, date } }, `monitoraggio_${cycle}_${date}.${kind}`);
      announce(t('rounds.reportDone'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="round-reports-title" className="mt-3">
      <h3 id="round-reports-title" className="h6">
        {t('rounds.reports')}
      </h3>
      <div className="d-flex flex-wrap gap-2">
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => get('xlsx')} aria-disabled={busy || undefined} data-testid="report-xlsx">
          {t('rounds.reportXlsx')}
        </button>
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => get('pdf')} aria-disabled={busy || undefined} data-testid="report-pdf">
          {t('rounds.reportPdf')}
        </button>
      </div>
      <ErrorAlert error={error} />
    </section>
  );
}

function RoundActions({ cycle, view, plan, onView }: { cycle: string; view: View; plan: MonitoringPlan | null; onView: (v: View) => void }) {
  const { t } = useTranslation('monitoring');
  const date = view.round.reference_date;
  const [dialog, setDialog] = useState<'sample' | 'close' | null>(null);
  const [seed, setSeed] = useState('');
  const [seedError, setSeedError] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function draw() {
    const s = seed.trim();
    if (!seedValid(s)) {
      setSeedError(t('rounds.seedInvalid'));
      return;
    }
    setSeedError('');
    setBusy(true);
    setFailure(null);
    try {
      const v = await api.call<View>('POST /api/v1/cycles/:cycle/monitoring/rounds/:date/sample', { params: { cycle, date }, body: s ? { seed: s } : {} });
      onView(v);
      setDialog(null);
      announce(t('rounds.drawn', { count: v.round.sample.length }));
    } catch (err) {
      setFailure(err);
      setDialog(null);
    } finally {
      setBusy(false);
    }
  }

  async function close() {
    setBusy(true);
    setFailure(null);
    try {
      const v = await api.call<View>('POST /api/v1/cycles/:cycle/monitoring/rounds/:date/close', { params: { cycle, date } });
      onView(v);
      setDialog(null);
      announce(t('rounds.closed', { date: formatDate(date) }));
    } catch (err) {
      setFailure(err);
      setDialog(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-3">
      <div className="d-flex flex-wrap gap-2">
        <button type="button" className="btn btn-outline-primary" onClick={() => setDialog('sample')} data-testid="round-sample">
          {t('rounds.drawSample')}
        </button>
        <button type="button" className="btn btn-outline-danger" onClick={() => setDialog('close')} data-testid="round-close">
          {t('rounds.close')}
        </button>
      </div>
      <ProblemAlert error={failure} ns="monitoring" />
      <ConfirmDialog
        id="round-sample-dialog"
        open={dialog === 'sample'}
        title={t('rounds.drawTitle')}
        confirmLabel={t('rounds.draw')}
        onConfirm={draw}
        onCancel={() => setDialog(null)}
        busy={busy}
      >
        {plan ? (
          <>
            <p>{t('rounds.drawBody', { percent: plan.sample_percent })}</p>
            <ul>
              {plan.sample_high_risk && <li>{t('plan.highRisk')}</li>}
              {plan.sample_overdue && <li>{t('plan.overdue')}</li>}
              <li>{t('plan.percentRule', { n: plan.sample_percent })}</li>
            </ul>
          </>
        ) : (
          <p>{t('rounds.drawNoPlan')}</p>
        )}
        <TextField id="round-seed" label={t('rounds.seed')} value={seed} onChange={setSeed} hint={t('rounds.seedHint')} error={seedError} inputMode="text" />
      </ConfirmDialog>
      <ConfirmDialog
        id="round-close-dialog"
        open={dialog === 'close'}
        title={t('rounds.closeTitle')}
        confirmLabel={t('rounds.closeConfirm')}
        onConfirm={close}
        onCancel={() => setDialog(null)}
        busy={busy}
        danger
      >
        <p>{t('rounds.closeBody', { date: formatDate(date) })}</p>
      </ConfirmDialog>
    </div>
  );
}

export function RoundDetail({
  cycle,
  view,
  plan,
  evidence,
  onEvidence,
  onView,
}: {
  cycle: string;
  view: View;
  plan: MonitoringPlan | null;
  evidence: Record<string, Evidence[]>;
  onEvidence: (key: string, list: Evidence[]) => void;
  onView: (v: View) => void;
}) {
  const { t } = useTranslation('monitoring');
  const s = useSession();
  const canManage = s.can('cycle', 'manage');
  const canCheck = s.can('assessment', 'review');
  const date = view.round.reference_date;
  const open = view.round.state === 'open';
  const [filter, setFilter] = useState<MeasureFilter>(() => ({ unit: s.myUnits.length && !canCheck ? '@mine' : '', status: '', sampledOnly: false, overdueOnly: false }));
  const [selected, setSelected] = useState<string | null>(null);
  const opener = useRef<string | null>(null);
  const units = useMemo(() => unitRows(view), [view]);
  const shown = useMemo(() => filterMeasures(view.measures, filter, s.myUnits), [view.measures, filter, s.myUnits]);
  const measure = view.measures.find((m) => m.id === selected) ?? null;
  const totals = units.reduce((a, u) => ({ missing: a.missing + u.missing_self_assessments, total: a.total + u.measures, overdue: a.overdue + u.overdue }), { missing: 0, total: 0, overdue: 0 });
  const evKey = (id: string) => `${date}/${id}`;

  const closePanel = () => {
    const id = opener.current;
    setSelected(null);
    if (id) window.setTimeout(() => document.querySelector<HTMLElement>(`[data-testid="measure-open-${id}"]`)?.focus(), 0);
  };

  return (
    <>
      <dl className="monitoring-dl" data-testid="round-info">
        <dt>{t('rounds.state')}</dt>
        <dd>
          <span className={`badge ${open ? 'bg-primary' : 'bg-dark'}`} data-testid="round-state">
            {open ? t('rounds.stateOpen') : t('rounds.stateClosed')}
          </span>
        </dd>
        <dt>{t('rounds.openedAt')}</dt>
        <dd>{formatDateTime(view.round.opened_at)}</dd>
        {view.round.closed_at && (
          <>
            <dt>{t('rounds.closedAt')}</dt>
            <dd>{formatDateTime(view.round.closed_at)}</dd>
          </>
        )}
        <dt>{t('rounds.sample')}</dt>
        <dd data-testid="round-sample-info">
          {drawnSeed(view.round) === '' ? t('rounds.sampleNone') : t('rounds.sampleDrawn', { count: view.round.sample.length, seed: drawnSeed(view.round) })}
          {view.round.sample_criteria && (
            <ul className="list-unstyled small mb-0" data-testid="round-sample-criteria">
              {view.round.sample_criteria.high_risk && <li>{t('plan.highRisk')}</li>}
              {view.round.sample_criteria.overdue && <li>{t('plan.overdue')}</li>}
              <li>{t('plan.percentRule', { n: view.round.sample_criteria.percent })}</li>
            </ul>
          )}
        </dd>
        {outdatedChecks(view) > 0 && (
          <>
            <dt>{t('rounds.outdatedChecks')}</dt>
            <dd data-testid="round-outdated-checks">{outdatedChecks(view)}</dd>
          </>
        )}
      </dl>
      {!open && <p>{t('rounds.closedNote')}</p>}
      {canManage && open && <RoundActions cycle={cycle} view={view} plan={plan} onView={onView} />}
      <ReportButtons cycle={cycle} date={date} />

      <section aria-labelledby="units-title" className="mt-4">
        <h3 id="units-title" className="h5">
          {t('units.title')}
        </h3>
        <p data-testid="units-summary">{t('units.summary', { missing: formatNumber(totals.missing), total: formatNumber(totals.total), overdue: formatNumber(totals.overdue) })}</p>
        <div className="table-responsive">
          <table className="table stack-table table-sm" data-testid="units-table">
            <caption>{t('units.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('units.unit')}</th>
                <th scope="col" className="text-end">
                  {t('units.measures')}
                </th>
                <th scope="col" className="text-end">
                  {t('units.missing')}
                </th>
                <th scope="col" className="text-end">
                  {t('units.overdue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.unit}>
                  <th scope="row">{u.unit}</th>
                  <td className="text-end">{formatNumber(u.measures)}</td>
                  <td className="text-end">{formatNumber(u.missing_self_assessments)}</td>
                  <td className="text-end">{formatNumber(u.overdue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {measure && (
        <MeasurePanel
          key={measure.id}
          cycle={cycle}
          view={view}
          measure={measure}
          canSelfAssess={s.can('measure', 'write', [measure.unit])}
          canCheck={canCheck}
          evidence={measure.evidence ?? evidence[evKey(measure.id)] ?? []}
          evidenceComplete={measure.evidence !== undefined}
          onEvidence={(list) =>
            measure.evidence !== undefined
              ? onView({ ...view, measures: view.measures.map((m) => (m.id === measure.id ? { ...m, evidence: list } : m)) })
              : onEvidence(evKey(measure.id), list)
          }
          onView={onView}
          onClose={closePanel}
        />
      )}

      <section aria-labelledby="measures-title" className="mt-4">
        <h3 id="measures-title" className="h5">
          {t('filters.title')}
        </h3>
        <div className="monitoring-filters">
          <div className="form-group argine-field">
            <label htmlFor="filter-unit" className="active form-label">
              {t('filters.unit')}
            </label>
            <select id="filter-unit" className="form-select" value={filter.unit} onChange={(e) => setFilter({ ...filter, unit: e.target.value })}>
              <option value="">{t('filters.allUnits')}</option>
              {s.myUnits.length > 0 && <option value="@mine">{t('filters.mine')}</option>}
              {units.map((u) => (
                <option key={u.unit} value={u.unit}>
                  {u.unit}
                </option>
              ))}
            </select>
          </div>
          <div className="form-group argine-field">
            <label htmlFor="filter-status" className="active form-label">
              {t('filters.status')}
            </label>
            <select id="filter-status" className="form-select" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
              <option value="">{t('filters.allStatuses')}</option>
              <option value="missing">{t('status.missing')}</option>
              {statuses.map((st) => (
                <option key={st} value={st}>
                  {t(`status.${st}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-check">
            <input id="filter-sampled" type="checkbox" checked={filter.sampledOnly} onChange={(e) => setFilter({ ...filter, sampledOnly: e.target.checked })} />
            <label htmlFor="filter-sampled">{t('filters.sampledOnly')}</label>
          </div>
          <div className="form-check">
            <input id="filter-overdue" type="checkbox" checked={filter.overdueOnly} onChange={(e) => setFilter({ ...filter, overdueOnly: e.target.checked })} />
            <label htmlFor="filter-overdue">{t('filters.overdueOnly')}</label>
          </div>
        </div>
        <p role="status" data-testid="measures-count">
          {t('filters.count', { count: shown.length, total: formatNumber(view.measures.length) })}
        </p>
        <div className="table-responsive">
          <table className="table stack-table table-sm monitoring-table" data-testid="measures-table">
            <caption>{t('table.caption', { date: formatDate(date) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.measure')}</th>
                <th scope="col">{t('table.leaf')}</th>
                <th scope="col">{t('table.unit')}</th>
                <th scope="col">{t('table.end')}</th>
                <th scope="col">{t('table.status')}</th>
                <th scope="col">{t('table.check')}</th>
                <th scope="col">{t('table.flags')}</th>
                <th scope="col">{t('table.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 && (
                <tr>
                  <td colSpan={8}>{t('table.empty')}</td>
                </tr>
              )}
              {shown.map((m) => (
                <tr key={m.id} className={m.id === selected ? 'table-active' : undefined} data-testid={`measure-row-${m.id}`}>
                  <th scope="row" className="fw-normal">
                    {m.title}
                  </th>
                  <td>{m.leaf}</td>
                  <td>
                    {m.unit_title || m.unit}
                    {m.unit_title && m.unit && <span className="d-block small text-muted">{m.unit}</span>}
                  </td>
                  <td className="text-nowrap">{m.end ? formatDate(m.end) : '—'}</td>
                  <td>
                    <span className={statusBadgeClass(m.entry?.status)}>{t(statusKey(m.entry))}</span>
                  </td>
                  <td>
                    <span className={checkBadgeClass(m.entry?.check_outcome)}>{t(checkKey(m.entry))}</span>
                    {m.entry?.check_outdated && (
                      <span className="badge text-bg-warning ms-1" data-testid={`check-outdated-${m.id}`}>
                        {t('check.outdatedShort')}
                      </span>
                    )}
                  </td>
                  <td>
                    {m.sampled && (
                      <>
                        <span className="badge bg-info text-dark me-1">{t('table.sampled')}</span>
                        <span className="d-block small" data-testid={`sample-reason-${m.id}`}>
                          {sampleReasonText(t, m)}
                        </span>
                      </>
                    )}
                    {m.overdue && <span className="badge bg-danger">{t('table.overdue')}</span>}
                    {m.withdrawn_at && <span className="badge text-bg-secondary">{t('table.withdrawn')}</span>}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-sm btn-outline-primary"
                      data-testid={`measure-open-${m.id}`}
                      aria-expanded={m.id === selected}
                      onClick={() => {
                        opener.current = m.id;
                        setSelected(m.id === selected ? null : m.id);
                      }}
                    >
                      {t('table.open')}
                      {' '}<span className="visually-hidden">{t('table.openFor', { title: m.title, leaf: m.leaf })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
