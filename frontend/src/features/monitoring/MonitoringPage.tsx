// Monitoring of measures (/monitoraggio): the cycle's monitoring plan (set by the RPCT), the rounds at its
// reference dates, each unit's self-assessment of its measures with evidence, the RPCT's second-level check.
// The round picker offers the cycle's rounds (GET …/monitoring/rounds) and the plan's dates not opened yet; the
// chosen round is loaded when picked.
import { useCallback, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, TextField } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDate } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { defaultDate, isIsoDate, summaryOf, type Evidence, type MonitoringPlan, type RoundSummary, type RoundView } from './model';
import { PlanForm, PlanView } from './PlanSection';
import { RoundDetail } from './RoundView';
import './monitoring.css';

const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;

function OpenRoundForm({ cycle, suggested, onOpened }: { cycle: string; suggested: string; onOpened: (v: RoundView) => void }) {
  const { t } = useTranslation('monitoring');
  const [date, setDate] = useState(suggested);
  const [seeded, setSeeded] = useState(suggested);
  const [error, setError] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  if (seeded !== suggested) {
    setSeeded(suggested);
    setDate(suggested);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    if (!isIsoDate(date)) {
      setError(t('fieldErrors.date_invalid'));
      focusFirstInvalid(form.current);
      return;
    }
    setError('');
    setBusy(true);
    try {
      const v = await api.call<RoundView>('POST /api/v1/cycles/:cycle/monitoring/rounds', { params: { cycle }, body: { reference_date: date } });
      announce(t('rounds.opened', { date: formatDate(date) }));
      onOpened(v);
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'monitoring', (p) => (p === 'reference_date' ? 'date' : undefined));
      if (fe.date) {
        setError(fe.date);
        focusFirstInvalid(form.current);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="monitoring-open-round">
    <h3 id="open-round-title" className="h6">
      {t('rounds.openTitle')}
    </h3>
    <form ref={form} onSubmit={submit} noValidate className="monitoring-inline-form" aria-labelledby="open-round-title" data-testid="open-round-form">
      <TextField id="open-round-date" label={t('rounds.openDate')} type="date" value={date} onChange={setDate} hint={t('rounds.openDateHint')} error={error} required />
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="open-round-submit">
        {busy ? t('common:status.saving') : t('rounds.open')}
      </button>
      <div className="w-100">
        <ProblemAlert error={failure} ns="monitoring" />
      </div>
    </form>
    </div>
  );
}

function Monitoring({ cycle }: { cycle: string }) {
  const { t } = useTranslation('monitoring');
  const s = useSession();
  const canManage = s.can('cycle', 'manage');
  const plan = useApi(
    (signal) =>
      api.call<MonitoringPlan>('GET /api/v1/cycles/:cycle/monitoring/plan', { params: { cycle }, signal }).catch((e) => {
        if (notFound(e)) return null;
        throw e;
      }),
    [cycle],
  );
  const list = useApi(
    (signal) =>
      api.call<{ items: RoundSummary[] }>('GET /api/v1/cycles/:cycle/monitoring/rounds', { params: { cycle }, signal }).then((r) => r.items),
    [cycle],
  );
  const summaries = useMemo(() => new Map((list.data ?? []).map((r) => [r.reference_date, r])), [list.data]);
  const dates = useMemo(() => [...new Set([...(plan.data?.reference_dates ?? []), ...summaries.keys()])].sort(), [plan.data, summaries]);
  // every date of the picker: its round, or null when not opened (only once the list is known)
  const known = useMemo<Record<string, RoundSummary | null>>(
    () => (list.data ? Object.fromEntries(dates.map((d) => [d, summaries.get(d) ?? null])) : {}),
    [list.data, dates, summaries],
  );
  const [picked, setPicked] = useState('');
  const [views, setViews] = useState<Record<string, RoundView>>({});
  const [evidence, setEvidence] = useState<Record<string, Evidence[]>>({});
  const selected = picked && dates.includes(picked) ? picked : defaultDate(dates, known);
  const toLoad = selected && known[selected] && !views[selected] ? selected : '';
  const loaded = useApi(
    async (signal) => {
      if (!toLoad) return null;
      const v = await api.call<RoundView>('GET /api/v1/cycles/:cycle/monitoring/rounds/:date', { params: { cycle, date: toLoad }, signal });
      setViews((x) => ({ ...x, [toLoad]: v }));
      return v;
    },
    [cycle, toLoad],
  );
  const view: RoundView | null | undefined = selected ? (views[selected] ?? (known[selected] === null ? null : undefined)) : undefined;
  const unopened = dates.filter((d) => known[d] === null);
  const anyOpen = (list.data ?? []).some((r) => r.state === 'open');

  const setView = useCallback(
    (v: RoundView) => {
      const d = v.round.reference_date;
      setViews((x) => ({ ...x, [d]: v }));
      const rest = (list.data ?? []).filter((r) => r.reference_date !== d);
      // the programme's counts are not part of this round view: they stay as the list gave them
      const prev = (list.data ?? []).find((r) => r.reference_date === d);
      const programme = { programme_measures: prev?.programme_measures, programme_self_assessed: prev?.programme_self_assessed, programme_checked: prev?.programme_checked };
      list.setData([...rest, { ...summaryOf(v), ...programme }].sort((a, b) => b.reference_date.localeCompare(a.reference_date)));
      setPicked(d);
    },
    [list],
  );

  const optionLabel = (d: string) => {
    const r = known[d];
    const date = formatDate(d);
    if (!r) return t('rounds.optionNone', { date });
    return r.state === 'open' ? t('rounds.optionOpen', { date }) : t('rounds.optionClosed', { date });
  };

  return (
    <>
      <section aria-labelledby="plan-title" className="monitoring-section">
        <h2 id="plan-title" className="h4">
          {t('plan.title')}
        </h2>
        {plan.loading && plan.data === undefined && <Loading />}
        <ErrorAlert error={plan.error} onRetry={plan.reload} />
        {plan.data === null && <p data-testid="plan-none">{canManage ? t('plan.noneManage') : t('plan.none')}</p>}
        {plan.data !== undefined && !canManage && plan.data && <PlanView plan={plan.data} />}
        {plan.data !== undefined && canManage && <PlanForm cycle={cycle} plan={plan.data} onSaved={plan.setData} />}
      </section>

      <section aria-labelledby="rounds-title" className="monitoring-section">
        <h2 id="rounds-title" className="h4">
          {t('rounds.title')}
        </h2>
        {list.loading && list.data === undefined && <Loading />}
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {list.data !== undefined && !anyOpen && <p data-testid="rounds-none-open">{t('rounds.noneOpen')}</p>}
        {dates.length > 0 && list.data !== undefined && (
          <div className="monitoring-pick">
            <label htmlFor="round-pick" className="active form-label">
              {t('rounds.pick')}
            </label>
            <select id="round-pick" className="form-select" value={selected} onChange={(e) => setPicked(e.target.value)} aria-describedby="round-pick-hint" data-testid="round-pick">
              {dates.map((d) => (
                <option key={d} value={d}>
                  {optionLabel(d)}
                </option>
              ))}
            </select>
            <small id="round-pick-hint" className="form-text d-block">
              {t('rounds.pickHint')}
            </small>
            {selected && known[selected] && (
              <p className="small mt-2 mb-0" data-testid="round-counts">
                {t('rounds.counts', { assessed: known[selected].self_assessed, total: known[selected].measures, checked: known[selected].checked })}
                {(known[selected].programme_measures ?? 0) > 0 &&
                  ' ' +
                    t('rounds.programmeCounts', {
                      assessed: known[selected].programme_self_assessed ?? 0,
                      total: known[selected].programme_measures,
                      checked: known[selected].programme_checked ?? 0,
                    })}
              </p>
            )}
          </div>
        )}
        {canManage && list.data !== undefined && plan.data !== undefined && (
          <OpenRoundForm cycle={cycle} suggested={selected && known[selected] === null ? selected : (unopened[0] ?? '')} onOpened={setView} />
        )}
        {toLoad && loaded.loading && view === undefined && <Loading />}
        <ErrorAlert error={loaded.error} onRetry={loaded.reload} />
        {selected && view === null && <p data-testid="round-not-opened">{t('rounds.notOpened', { date: formatDate(selected) })}</p>}
        {view && (
          <RoundDetail
            key={selected}
            cycle={cycle}
            view={view}
            plan={plan.data ?? null}
            evidence={evidence}
            onEvidence={(key, list) => setEvidence((e) => ({ ...e, [key]: list }))}
            onView={setView}
          />
        )}
      </section>
    </>
  );
}

export default function MonitoringPage() {
  const { t } = useTranslation('monitoring');
  const s = useSession();
  const cycle = s.cycle;
  const intro = s.can('cycle', 'manage') ? t('introManage') : s.myUnits.length && s.can('measure', 'write', s.myUnits) ? t('introUnit') : t('introRead');
  return (
    <Page title={cycle ? t('titleCycle', { code: cycle.code }) : t('title')} crumbs={[{ label: t('title') }]}>
      {!cycle ? (
        <p>{t('noCycle')}</p>
      ) : (
        <>
          <p className="monitoring-intro">{intro}</p>
          <Monitoring key={cycle.code} cycle={cycle.code} />
        </>
      )}
    </Page>
  );
}
