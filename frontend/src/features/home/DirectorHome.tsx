// Home of a director or referente: what was returned and why, the campaign deadline, and the leaves of their
// units by assessment state, each opening its editor.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge, StateBadge } from '../../components/Badges';
import { CompletenessText } from '../../components/Completeness';
import { ToSignList } from '../../components/ToSignList';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { formatDate, formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { LEAF_STATES, RETURNED_DETAIL_LIMIT, countByState, loadMyWork, type LeafState } from './homeApi';

const PAGE = 50;

export function DirectorHome() {
  const { t } = useTranslation('home');
  const s = useSession();
  const cycle = useCycleCode();
  const units = s.myUnits;
  const onlyReferente = s.roles.has('referente') && !s.roles.has('director');
  const work = useApi((signal) => loadMyWork(cycle, units, signal), [cycle, units.join(',')]);
  const [filter, setFilter] = useState<'all' | LeafState>('all');
  const [shown, setShown] = useState(PAGE);

  const leaves = useMemo(() => work.data?.leaves ?? [], [work.data]);
  const counts = useMemo(() => countByState(leaves), [leaves]);
  const visible = filter === 'all' ? leaves : leaves.filter((l) => l.state === filter);
  const progress = work.data?.progress;
  const pending = counts.none + counts.draft + counts.returned;

  return (
    <section aria-labelledby="home-mine-title" className="mb-5" data-testid="home-director">
      <h2 className="h3" id="home-mine-title">
        {t('director.title')}
      </h2>
      <p>
        {t('director.intro', { units: units.join(', ') })} {onlyReferente && t('director.referenteNote')}
      </p>
      {work.error ? <ErrorAlert error={work.error} onRetry={work.reload} /> : null}
      {!work.data && work.loading && <Loading />}
      {work.data && (
        <>
          {progress?.deadline ? (
            <p data-testid="home-deadline">
              <strong>{t('director.deadline')}</strong> {formatDate(progress.deadline)}
            </p>
          ) : (
            <p data-testid="home-deadline">{t('director.noDeadline')}</p>
          )}
          {progress?.overdue && pending > 0 && (
            <div className="alert alert-warning" role="note" data-testid="home-overdue">
              {t('director.overdue', { count: pending })}
            </div>
          )}

          {s.roles.has('director') && <ToSignList headingLevel={3} />}
          <h3 className="h4 mt-4" id="home-returned-title">
            {t('director.returnedTitle')}
          </h3>
          {work.data.returned.length === 0 ? (
            <p>{t('director.noReturned')}</p>
          ) : (
            <ul className="home-returned list-unstyled" aria-labelledby="home-returned-title" data-testid="home-returned">
              {work.data.returned.map(({ leaf, comment }, i) => (
                <li key={leaf.code} className="home-returned-item">
                  <p className="mb-1">
                    <Link to={`/valutazioni/${encodeURIComponent(leaf.code)}`} className="fw-semibold">
                      {t('director.review', { code: leaf.code, title: leaf.title })}
                    </Link>
                  </p>
                  {comment ? (
                    <figure className="mb-0">
                      <blockquote className="home-quote mb-1 text-prewrap">{comment.body}</blockquote>
                      <figcaption className="small">{t('director.returnedBy', { who: comment.author_full_name || comment.author_name, when: formatDateTime(comment.created_at) })}</figcaption>
                    </figure>
                  ) : (
                    <p className="small mb-0">{i >= RETURNED_DETAIL_LIMIT ? t('director.openForComment') : t('director.noComment')}</p>
                  )}
                </li>
              ))}
            </ul>
          )}

          <div className="table-responsive mt-4">
            <table className="table stack-table table-sm home-counts">
              <caption>{t('director.countsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('director.state')}</th>
                  <th scope="col" className="text-end">
                    {t('director.leaves')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {LEAF_STATES.map((st) => (
                  <tr key={st}>
                    <th scope="row">
                      <StateBadge state={st} />
                    </th>
                    <td className="text-end">{counts[st]}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('director.total')}</th>
                  <td className="text-end">{leaves.length}</td>
                </tr>
              </tfoot>
            </table>
          </div>

          <div className="row mt-3 mb-2">
            <div className="col-sm-6 col-lg-4">
              <div className="select-wrapper">
                <label htmlFor="home-state-filter">{t('director.filter')}</label>
                <select
                  id="home-state-filter"
                  className="form-select"
                  value={filter}
                  onChange={(e) => {
                    setFilter(e.target.value as 'all' | LeafState);
                    setShown(PAGE);
                  }}
                >
                  <option value="all">{t('director.allStates', { count: leaves.length })}</option>
                  {LEAF_STATES.map((st) => (
                    <option key={st} value={st}>
                      {t(`common:states.${st}`)} ({counts[st]})
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </div>
          {visible.length === 0 ? (
            <p>{t('director.noneInState')}</p>
          ) : (
            <>
              <div className="table-responsive">
                <table className="table stack-table table-sm table-hover home-table">
                  <caption>{t('director.listCaption', { shown: Math.min(shown, visible.length), total: visible.length })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('director.code')}</th>
                      <th scope="col">{t('director.leaf')}</th>
                      <th scope="col">{t('director.units')}</th>
                      <th scope="col">{t('director.state')}</th>
                      <th scope="col">{t('director.level')}</th>
                      <th scope="col">{t('director.completeness')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visible.slice(0, shown).map((l) => (
                      <tr key={l.code}>
                        <th scope="row">
                          <Link to={`/valutazioni/${encodeURIComponent(l.code)}`} aria-label={t('director.open', { code: l.code, title: l.title })}>
                            {l.code}
                          </Link>
                        </th>
                        <td>{l.title}</td>
                        <td>{l.units.join(', ')}</td>
                        <td>
                          <StateBadge state={l.state} />
                        </td>
                        <td>{l.level ? <LevelBadge level={l.level} /> : '—'}</td>
                        <td>{l.missingCount === undefined ? '—' : <CompletenessText leaf={{ state: l.state, complete: l.complete ?? false, missing_count: l.missingCount }} />}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {visible.length > shown && (
                <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setShown((n) => n + PAGE)}>
                  {t('director.more', { count: Math.min(PAGE, visible.length - shown) })}
                </button>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
