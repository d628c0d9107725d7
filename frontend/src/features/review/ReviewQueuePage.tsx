// The RPCT's review queue (/revisione): the assessments submitted and waiting for a decision, one row per leaf,
// each opening its review page; select several to approve them, or return them with one set of observations,
// in one request (a result per leaf).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge } from '../../components/Badges';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { collator, formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { BulkResults } from './BulkResults';
import { CommentDialog } from './CommentDialog';
import { loadQueue, type BulkResult, type QueueItem } from './reviewApi';
import './review.css';

type BulkAction = 'approve' | 'return';

export default function ReviewQueuePage() {
  const { t } = useTranslation('review');
  const cycle = useCycleCode();
  const s = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const canAudit = s.can('audit', 'read');
  const reviewer = s.can('assessment', 'review') && s.cycle?.state === 'open';
  const [flash] = useState<string>(() => (location.state as { flash?: string } | null)?.flash ?? '');
  const [unit, setUnit] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<BulkAction | null>(null);
  const [allOrNothing, setAllOrNothing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [bulkError, setBulkError] = useState<unknown>(null);
  const [resetKey, setResetKey] = useState(0);
  const [outcome, setOutcome] = useState<{ result: BulkResult; action: BulkAction; titles: Map<string, string> } | null>(null);
  const selectAllRef = useRef<HTMLInputElement>(null);

  // The flash message of a decision taken on the review page is shown once, not again on reload.
  useEffect(() => {
    if (flash) navigate(location.pathname, { replace: true, state: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const q = useApi<QueueItem[]>((signal) => (cycle ? loadQueue(cycle, canAudit, signal) : Promise.resolve([])), [cycle, canAudit]);
  const items = useMemo(() => q.data ?? [], [q.data]);
  const units = useMemo(() => [...new Set(items.flatMap((i) => i.units))].sort(collator.compare), [items]);
  const visible = useMemo(() => (unit ? items.filter((i) => i.units.includes(unit)) : items), [items, unit]);
  const selectedVisible = visible.filter((i) => selected.has(i.code));
  const allSelected = visible.length > 0 && selectedVisible.length === visible.length;

  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = selectedVisible.length > 0 && !allSelected;
  }, [selectedVisible.length, allSelected]);

  // Drop from the selection what left the queue (decided elsewhere, or by the last bulk action).
  useEffect(() => {
    if (!q.data) return;
    const present = new Set(q.data.map((i) => i.code));
    setSelected((prev) => {
      const next = new Set([...prev].filter((c) => present.has(c)));
      return next.size === prev.size ? prev : next;
    });
  }, [q.data]);

  useEffect(() => {
    if (q.data) announce(t('queue.count', { count: visible.length }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.data, unit]);

  function toggle(code: string, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });
  }

  function toggleAll(on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const i of visible) {
        if (on) next.add(i.code);
        else next.delete(i.code);
      }
      return next;
    });
  }

  async function runBulk(action: BulkAction, comment: string) {
    const nodes = selectedVisible.map((i) => i.code);
    setBusy(true);
    setBulkError(null);
    try {
      const result = await api.call<BulkResult>('POST /api/v1/cycles/:cycle/assessments/transitions', {
        params: { cycle },
        body: { action, nodes, comment, all_or_nothing: allOrNothing },
      });
      setOutcome({ result, action, titles: new Map(items.map((i) => [i.code, i.title])) });
      setDialog(null);
      setResetKey((k) => k + 1);
      announce(t('bulk.summary', { succeeded: result.succeeded, failed: result.failed }));
      q.reload();
    } catch (err) {
      setBulkError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = t('queue.title');
  if (!cycle) {
    return (
      <Page title={title}>
        <p>{t('noCycle')}</p>
      </Page>
    );
  }

  return (
    <Page title={title} crumbs={[{ label: title }]}>
      <p>{t('queue.intro', { cycle })}</p>
      {flash && (
        <div className="alert alert-success" role="status" data-testid="queue-flash">
          {flash}
        </div>
      )}
      {s.can('assessment', 'review') && s.cycle?.state !== 'open' && <p className="text-muted">{t('page.cycleClosed')}</p>}
      {outcome && <BulkResults result={outcome.result} action={outcome.action} titles={outcome.titles} />}
      {q.error ? <ErrorAlert error={q.error} onRetry={q.reload} /> : null}
      {!q.data && q.loading && <Loading />}
      {q.data && (
        <>
          {units.length > 1 && (
            <div className="row mt-4 mb-3">
              <div className="col-sm-6 col-lg-4">
                <div className="select-wrapper">
                  <label htmlFor="queue-unit">{t('queue.unitFilter')}</label>
                  <select id="queue-unit" className="form-select" value={unit} onChange={(e) => setUnit(e.target.value)}>
                    <option value="">{t('queue.allUnits')}</option>
                    {units.map((u) => (
                      <option key={u} value={u}>
                        {u}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            </div>
          )}
          {reviewer && visible.length > 0 && (
            <div className="review-bulkbar d-flex flex-wrap align-items-center gap-2 mb-3" role="group" aria-label={t('bulk.groupLabel')}>
              <span aria-live="polite" data-testid="queue-selected">
                {t('bulk.selected', { count: selectedVisible.length })}
              </span>
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={selectedVisible.length === 0}
                onClick={() => {
                  setBulkError(null);
                  setDialog('approve');
                }}
              >
                {t('bulk.approve')}
              </button>
              <button
                type="button"
                className="btn btn-outline-primary btn-sm"
                disabled={selectedVisible.length === 0}
                onClick={() => {
                  setBulkError(null);
                  setDialog('return');
                }}
              >
                {t('bulk.return')}
              </button>
            </div>
          )}
          {visible.length === 0 ? (
            <p data-testid="queue-empty">{t('queue.empty')}</p>
          ) : (
            <div className="table-responsive">
              <table className="table stack-table table-hover review-queue">
                <caption>
                  {t('queue.caption')}
                  <span className="visually-hidden">{t('queue.captionCount', { count: visible.length })}</span>
                </caption>
                <thead>
                  <tr>
                    {reviewer && (
                      <th scope="col" className="review-check-col">
                        <input
                          ref={selectAllRef}
                          type="checkbox"
                          id="queue-select-all"
                          className="review-check"
                          checked={allSelected}
                          onChange={(e) => toggleAll(e.target.checked)}
                        />
                        <label htmlFor="queue-select-all" className="visually-hidden">
                          {t('queue.selectAll')}
                        </label>
                      </th>
                    )}
                    <th scope="col">{t('queue.code')}</th>
                    <th scope="col">{t('queue.leaf')}</th>
                    <th scope="col">{t('queue.units')}</th>
                    <th scope="col">{t('queue.level')}</th>
                    <th scope="col" className="text-end">
                      {t('queue.risks')}
                    </th>
                    {canAudit && <th scope="col">{t('queue.submitted')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {visible.map((i) => (
                    <tr key={i.code} className={selected.has(i.code) ? 'table-active' : undefined}>
                      {reviewer && (
                        <td className="review-check-col">
                          <input
                            type="checkbox"
                            id={`queue-select-${i.code}`}
                            className="review-check"
                            checked={selected.has(i.code)}
                            onChange={(e) => toggle(i.code, e.target.checked)}
                          />
                          <label htmlFor={`queue-select-${i.code}`} className="visually-hidden">
                            {t('queue.select', { code: i.code })}
                          </label>
                        </td>
                      )}
                      <th scope="row">
                        <Link to={`/revisione/${encodeURIComponent(i.code)}`} aria-label={t('queue.open', { code: i.code, title: i.title })}>
                          {i.code}
                        </Link>
                      </th>
                      <td>{i.title}</td>
                      <td>{i.units.join(', ')}</td>
                      <td>
                        <LevelBadge level={i.level} />
                      </td>
                      <td className="text-end">{i.risks}</td>
                      {canAudit && <td>{i.submittedAt ? t('queue.submittedValue', { when: formatDateTime(i.submittedAt), who: i.submittedBy }) : '—'}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      <CommentDialog
        id="bulk-approve-dialog"
        open={dialog === 'approve'}
        title={t('bulk.approveTitle', { count: selectedVisible.length })}
        intro={<SelectionList items={selectedVisible} />}
        label={t('dialog.approveLabel')}
        required={false}
        confirmLabel={t('dialog.approveConfirm')}
        busy={busy}
        error={dialog === 'approve' ? bulkError : null}
        onConfirm={(c) => runBulk('approve', c)}
        onClose={() => setDialog(null)}
        resetKey={resetKey}
      >
        <AllOrNothing id="bulk-approve-aon" checked={allOrNothing} onChange={setAllOrNothing} />
      </CommentDialog>
      <CommentDialog
        id="bulk-return-dialog"
        open={dialog === 'return'}
        title={t('bulk.returnTitle', { count: selectedVisible.length })}
        intro={<SelectionList items={selectedVisible} />}
        label={t('dialog.returnLabel')}
        hint={t('bulk.returnHint')}
        required
        confirmLabel={t('dialog.returnConfirm')}
        busy={busy}
        error={dialog === 'return' ? bulkError : null}
        onConfirm={(c) => runBulk('return', c)}
        onClose={() => setDialog(null)}
        resetKey={resetKey}
      >
        <AllOrNothing id="bulk-return-aon" checked={allOrNothing} onChange={setAllOrNothing} />
      </CommentDialog>
    </Page>
  );
}

function SelectionList({ items }: { items: QueueItem[] }) {
  const { t } = useTranslation('review');
  return (
    <>
      <p className="mb-1">{t('bulk.selectionIntro', { count: items.length })}</p>
      <ul className="review-selection mb-3">
        {items.map((i) => (
          <li key={i.code}>
            {i.code} – {i.title}
          </li>
        ))}
      </ul>
    </>
  );
}

function AllOrNothing({ id, checked, onChange }: { id: string; checked: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation('review');
  return (
    <div className="form-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{t('bulk.allOrNothing')}</label>
      <p id={`${id}-hint`} className="form-text mt-1 mb-0">
        {t('bulk.allOrNothingHint')}
      </p>
    </div>
  );
}
