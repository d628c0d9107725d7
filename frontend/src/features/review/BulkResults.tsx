// The outcome of a bulk decision, one row per leaf: done (with the new state) or not done (and why, in
// Italian). The heading takes focus so keyboard and screen-reader users land on the result.
import i18next, { type TFunction } from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { StateBadge } from '../../components/Badges';
import type { BulkResult } from './reviewApi';

/** The Italian reason of a failed item, from its stable code. */
export function resultReason(t: TFunction, code: string | undefined): string {
  if (!code) return t('errors:generic');
  if (code === 'rolled_back') return t('review:bulk.rolledBackItem');
  const key = `errors:${code}`;
  return i18next.exists(key) ? t(key) : t('errors:generic');
}

export function BulkResults({ result, action, titles, focus = true }: { result: BulkResult; action: 'approve' | 'return'; titles: Map<string, string>; focus?: boolean }) {
  const { t } = useTranslation('review');
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) h.current?.focus();
  }, [result, focus]);
  return (
    <section className="review-bulk-results mb-4" aria-labelledby="bulk-results-title" data-testid="bulk-results">
      <h2 className="h4" id="bulk-results-title" ref={h} tabIndex={-1}>
        {action === 'approve' ? t('bulk.resultsApprove') : t('bulk.resultsReturn')}
      </h2>
      <p>{t('bulk.summary', { succeeded: result.succeeded, failed: result.failed })}</p>
      {result.rolled_back && (
        <div className="alert alert-warning" role="note">
          {t('bulk.rolledBack')}
        </div>
      )}
      <div className="table-responsive">
        <table className="table stack-table table-sm">
          <caption>{t('bulk.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('queue.code')}</th>
              <th scope="col">{t('queue.leaf')}</th>
              <th scope="col">{t('bulk.outcome')}</th>
              <th scope="col">{t('bulk.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {result.results.map((r) => (
              <tr key={r.node}>
                <th scope="row">
                  <Link to={`/revisione/${encodeURIComponent(r.node ?? '')}`}>{r.node}</Link>
                </th>
                <td>{titles.get(r.node ?? '') ?? ''}</td>
                <td>{r.ok ? <strong className="text-success">{t('bulk.ok')}</strong> : <strong className="text-danger">{t('bulk.failed')}</strong>}</td>
                <td>
                  {r.ok ? (
                    <>
                      {t('bulk.nowState')} <StateBadge state={r.state} />
                    </>
                  ) : (
                    resultReason(t, r.code)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
