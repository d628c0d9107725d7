// Home of the RPCT: the review queue, the campaign by unit (with overdue leaves), and the risks by level, each
// with the page that goes further. Two requests: the dashboard figures and the submitted part of the register.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { NodePage, Progress } from '../../api/schema.gen';
import { useCycleCode } from '../../auth/session';
import { LevelBadge } from '../../components/Badges';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { formatDate, formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { HomeCard } from './LinkCards';
import { LEVEL_ORDER, groupByLeaf, registerAll } from '../../lib/register/leaves';

interface Dashboard {
  risks: number;
  by_level: Record<string, number>;
  progress: Progress;
}

const PROGRESS_STATES = ['not_started', 'draft', 'returned', 'submitted', 'approved', 'excluded'] as const;

export function RpctHome() {
  const { t } = useTranslation('home');
  const cycle = useCycleCode();
  const d = useApi(
    async (signal) => {
      const [dashboard, submitted] = await Promise.all([
        api.call<Dashboard>('GET /api/v1/cycles/:cycle/dashboard', { params: { cycle }, signal }),
        registerAll(cycle, { state: 'submitted' }, signal),
      ]);
      const queue = groupByLeaf(submitted).length;
      // Past the deadline, the leaves not yet submitted, each counted once (the per-unit figures count a leaf
      // of several units in each): all the leaves but the submitted and the approved ones.
      let overdue = 0;
      if (dashboard.progress?.overdue) {
        const [leaves, approved] = await Promise.all([
          api.call<NodePage>('GET /api/v1/cycles/:cycle/nodes', { params: { cycle }, query: { leaf: true, page_size: 1 }, signal }),
          registerAll(cycle, { state: 'approved' }, signal),
        ]);
        overdue = Math.max(0, leaves.total - queue - groupByLeaf(approved).length);
      }
      return { dashboard, queue, overdue };
    },
    [cycle],
  );
  const progress = d.data?.dashboard.progress;
  const units = progress?.units ?? [];
  const byLevel = d.data?.dashboard.by_level ?? {};
  const levels = Object.keys(byLevel).sort((a, b) => LEVEL_ORDER.indexOf(b) - LEVEL_ORDER.indexOf(a));

  return (
    <section aria-labelledby="home-rpct-title" className="mb-5" data-testid="home-rpct">
      <h2 className="h3" id="home-rpct-title">
        {t('rpct.title')}
      </h2>
      {d.error ? <ErrorAlert error={d.error} onRetry={d.reload} /> : null}
      {!d.data && d.loading && <Loading />}
      {d.data && (
        <>
          <div className="row g-3 mb-4">
            <div className="col-md-4">
              <HomeCard title={t('rpct.queueTitle')}>
                <p className="home-figure" data-testid="home-queue-count">
                  {formatNumber(d.data.queue)}
                </p>
                <p className="card-text">{d.data.queue === 0 ? t('rpct.queueEmpty') : t('rpct.queueText', { count: d.data.queue })}</p>
                <Link to="/revisione">{t('rpct.queueLink')}</Link>
              </HomeCard>
            </div>
            <div className="col-md-4">
              <HomeCard title={t('rpct.deadlineTitle')}>
                <p className="home-figure home-figure-text">{progress?.deadline ? formatDate(progress.deadline) : t('rpct.noDeadline')}</p>
                <Link to="/ciclo">{t('rpct.cycleLink')}</Link>
              </HomeCard>
            </div>
            <div className="col-md-4">
              <HomeCard title={t('rpct.overdueTitle')}>
                <p className="home-figure" data-testid="home-overdue-count">
                  {formatNumber(d.data.overdue)}
                </p>
                <p className="card-text">{progress?.overdue ? t('rpct.overdueText') : t('rpct.notOverdue')}</p>
              </HomeCard>
            </div>
          </div>

          <div className="table-responsive">
            <table className="table stack-table table-sm home-progress">
              <caption>{t('rpct.progressCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rpct.unit')}</th>
                  <th scope="col" className="text-end">
                    {t('rpct.leaves')}
                  </th>
                  {PROGRESS_STATES.map((st) => (
                    <th scope="col" className="text-end" key={st}>
                      {t(`rpct.states.${st}`)}
                    </th>
                  ))}
                  <th scope="col" className="text-end">
                    {t('rpct.overdue')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {units.map((u) => (
                  <tr key={u.unit}>
                    <th scope="row">{u.unit}</th>
                    <td className="text-end">{formatNumber(u.leaves ?? 0)}</td>
                    {PROGRESS_STATES.map((st) => (
                      <td className="text-end" key={st}>
                        {formatNumber(u.states?.[st] ?? 0)}
                      </td>
                    ))}
                    <td className={`text-end${u.overdue ? ' fw-bold text-danger' : ''}`}>{formatNumber(u.overdue ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
              {progress?.total && (
                <tfoot>
                  <tr data-testid="home-progress-total">
                    <th scope="row">{t('rpct.totalOnce')}</th>
                    <td className="text-end">{formatNumber(progress.total.leaves ?? 0)}</td>
                    {PROGRESS_STATES.map((st) => (
                      <td className="text-end" key={st}>
                        {formatNumber(progress.total?.states?.[st] ?? 0)}
                      </td>
                    ))}
                    <td className="text-end">{formatNumber(progress.total.overdue ?? 0)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
          <p className="small text-muted">{t('rpct.progressNote')}</p>

          <div className="table-responsive mt-4">
            <table className="table stack-table table-sm home-levels">
              <caption>{t('rpct.levelsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rpct.level')}</th>
                  <th scope="col" className="text-end">
                    {t('rpct.risks')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {levels.length === 0 ? (
                  <tr>
                    <td colSpan={2}>{t('rpct.noRisks')}</td>
                  </tr>
                ) : (
                  levels.map((l) => (
                    <tr key={l}>
                      <th scope="row">
                        <LevelBadge level={l} />
                      </th>
                      <td className="text-end">{formatNumber(byLevel[l])}</td>
                    </tr>
                  ))
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('rpct.total')}</th>
                  <td className="text-end">{formatNumber(d.data.dashboard.risks)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p>
            <Link to="/mappa-di-calore">{t('rpct.heatmapLink')}</Link>
          </p>
        </>
      )}
    </section>
  );
}
