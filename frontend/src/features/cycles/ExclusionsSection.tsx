// Leaves taken out of the campaign with a reason (e.g. an activity the ente no longer performs), and the
// consolidation that closes the campaign once every other leaf is approved.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Cycle, Node, NodePage } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { apiFieldErrors, ConfirmDialog, focusFirstInvalid, ProblemAlert, problemMessage, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { parseBlockers, type Blockers, type Exclusion } from './lifecycle';

const minReason = 10;

/** A long list folds behind a summary the keyboard can open; a short one shows as is. */
function Collapsible({ when, summary, children }: { when: boolean; summary: string; children: ReactNode }) {
  if (!when) return <>{children}</>;
  return (
    <details className="mb-3" data-testid="exclusions-details">
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

export function ExclusionsSection({
  cycle,
  exclusions,
  error,
  editable,
  prefill,
  onExcluded,
}: {
  cycle: Cycle;
  exclusions: Exclusion[] | undefined;
  error: unknown;
  editable: boolean;
  prefill: { code: string; n: number } | null;
  onExcluded: (items: Exclusion[]) => void;
}) {
  const { t } = useTranslation('cycles');
  const leaves = useApi(
    (signal) =>
      editable
        ? api
            .call<NodePage>('GET /api/v1/cycles/:cycle/nodes', { params: { cycle: cycle.code }, query: { leaf: true, page_size: 1000 }, signal })
            .then((p) => p.items)
        : Promise.resolve([] as Node[]),
    [cycle.code, editable],
  );
  const titles = useMemo(() => new Map((leaves.data ?? []).map((n) => [n.code, n.title])), [leaves.data]);
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const reasonRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!prefill) return;
    setCode(prefill.code);
    setErrors({});
    setDone('');
    reasonRef.current?.querySelector('textarea')?.focus();
  }, [prefill]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    setFailure(null);
    const next: FieldErrors = {};
    const c = code.trim();
    if (!c) next.node = t('fieldErrors.required');
    else if (leaves.data && leaves.data.length > 0 && !titles.has(c)) next.node = t('fieldErrors.node_not_leaf');
    if ([...reason.trim()].length < minReason) next.reason = t('fieldErrors.reason_short', { n: minReason });
    setErrors(next);
    if (Object.keys(next).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const r = await api.call<{ items: Exclusion[] }>('POST /api/v1/cycles/:cycle/exclusions', {
        params: { cycle: cycle.code },
        body: { node: c, reason: reason.trim() },
      });
      onExcluded(r.items);
      setCode('');
      setReason('');
      setDone(t('exclusions.done', { code: c }));
      announce(t('exclusions.done', { code: c }));
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'node_not_found' || err.code === 'node_not_leaf')) {
        setErrors({ node: problemMessage(t, err, 'cycles') });
        focusFirstInvalid(form.current);
      } else {
        const fe = apiFieldErrors(t, err, 'cycles', (p) => (p === 'reason' ? 'reason' : p === 'node' ? 'node' : undefined));
        setErrors(fe);
        if (Object.keys(fe).length) focusFirstInvalid(form.current);
        else setFailure(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="exclusions-title" className="cycle-section">
      <h2 id="exclusions-title" className="h4">
        {t('exclusions.title')}
      </h2>
      <p>{t('exclusions.intro')}</p>
      <ErrorAlert error={error} />
      {exclusions === undefined && !error && <Loading />}
      {exclusions && exclusions.length === 0 && <p data-testid="exclusions-empty">{t('exclusions.empty')}</p>}
      {exclusions && exclusions.length > 0 && (
        <Collapsible when={exclusions.length > 10} summary={t('exclusions.showAll', { n: exclusions.length })}>
        <div className="table-responsive">
          <table className="table stack-table table-sm" data-testid="exclusions-table">
            <caption>{t('exclusions.caption', { n: exclusions.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('exclusions.colNode')}</th>
                <th scope="col">{t('exclusions.colReason')}</th>
              </tr>
            </thead>
            <tbody>
              {exclusions.map((x) => (
                <tr key={x.node}>
                  <th scope="row">
                    {x.node}
                    {titles.get(x.node) && <span className="d-block small fw-normal">{titles.get(x.node)}</span>}
                  </th>
                  <td>{x.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        </Collapsible>
      )}
      {editable && (
        <form ref={form} onSubmit={submit} noValidate aria-labelledby="exclusions-form-title" className="mt-3">
          <h3 id="exclusions-form-title" className="h6 fw-semibold">
            {t('exclusions.formTitle')}
          </h3>
          <p className="small">{t('form.requiredNote')}</p>
          <TextField
            id="exclusion-node"
            label={t('exclusions.node')}
            value={code}
            onChange={setCode}
            list="exclusion-leaves"
            autoComplete="off"
            spellCheck={false}
            error={errors.node}
            hint={titles.get(code.trim()) ? t('exclusions.nodeIs', { title: titles.get(code.trim()) }) : t('exclusions.nodeHint')}
            required
          />
          <datalist id="exclusion-leaves">
            {(leaves.data ?? []).map((n) => (
              <option key={n.code} value={n.code}>
                {n.title}
              </option>
            ))}
          </datalist>
          <div ref={reasonRef}>
            <TextArea
              id="exclusion-reason"
              label={t('exclusions.reason')}
              value={reason}
              onChange={setReason}
              error={errors.reason}
              hint={t('exclusions.reasonHint', { n: minReason })}
              required
            />
          </div>
          <button type="submit" className="btn btn-outline-primary" disabled={busy}>
            {busy ? t('common:status.saving') : t('exclusions.submit')}
          </button>
          <ProblemAlert error={failure} ns="cycles" />
          {done && (
            <div className="alert alert-success mt-2" role="status">
              {done}
            </div>
          )}
        </form>
      )}
    </section>
  );
}

/** The list of leaves blocking consolidation, each with a link to its assessment and a shortcut to exclude it. */
export function BlockersList({ blockers, excluded, onExclude }: { blockers: Blockers; excluded: Set<string>; onExclude?: (code: string) => void }) {
  const { t } = useTranslation('cycles');
  return (
    <div className="alert alert-danger" role="alert" data-testid="consolidation-blockers">
      <p className="fw-semibold mb-1">{t('consolidation.blockedTitle')}</p>
      <p className="mb-2">
        {blockers.total !== null ? t('consolidation.blockedCount', { count: blockers.total, n: formatNumber(blockers.total) }) : t('consolidation.blockedUnknown')}
        {blockers.codes.length > 0 && blockers.total !== null && blockers.total > blockers.codes.length && (
          <> {t('consolidation.blockedFirst', { n: blockers.codes.length })}</>
        )}
      </p>
      {blockers.codes.length > 0 && (
        <ul className="list-unstyled mb-0 blockers-list">
          {blockers.codes.map((c) => (
            <li key={c} className="d-flex flex-wrap align-items-center gap-2 mb-1">
              <Link to={`/valutazioni/${encodeURIComponent(c)}`}>{t('consolidation.openLeaf', { code: c })}</Link>
              {excluded.has(c) ? (
                <span className="badge bg-dark">{t('common:states.excluded')}</span>
              ) : (
                onExclude && (
                  <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => onExclude(c)}>
                    {t('consolidation.exclude', { code: c })}
                  </button>
                )
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="mb-0 mt-2">
        <Link to="/campagna?bloccanti=1" data-testid="blockers-campaign-link">
          {t('consolidation.campaignLink')}
        </Link>
      </p>
    </div>
  );
}

export function ConsolidationSection({
  cycle,
  excluded,
  onExclude,
  onChanged,
}: {
  cycle: Cycle;
  excluded: Set<string>;
  onExclude: (code: string) => void;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation('cycles');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [blockers, setBlockers] = useState<Blockers | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  async function consolidate() {
    setBusy(true);
    setFailure(null);
    setBlockers(null);
    try {
      await api.call<Cycle>('POST /api/v1/cycles/:cycle/consolidate', { params: { cycle: cycle.code } });
      setOpen(false);
      announce(t('consolidation.done', { code: cycle.code }));
      await onChanged();
    } catch (err) {
      setOpen(false);
      if (err instanceof ApiError && err.code === 'consolidation_blocked') {
        const b = parseBlockers(err.problem);
        setBlockers(b);
        announce(t('consolidation.blockedTitle'));
      } else {
        setFailure(err);
        if (err instanceof ApiError && err.code === 'cycle_not_open') await onChanged();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="consolidation-title" className="cycle-section">
      <h2 id="consolidation-title" className="h4">
        {t('consolidation.title')}
      </h2>
      <p>{t('consolidation.intro')}</p>
      <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
        {t('consolidation.submit')}
      </button>
      {blockers && <div className="mt-3"><BlockersList blockers={blockers} excluded={excluded} onExclude={onExclude} /></div>}
      <ProblemAlert error={failure} ns="cycles" />
      <ConfirmDialog
        id="consolidate-dialog"
        open={open}
        title={t('consolidation.confirmTitle', { code: cycle.code })}
        confirmLabel={t('consolidation.confirm')}
        onConfirm={() => void consolidate()}
        onCancel={() => setOpen(false)}
        busy={busy}
      >
        <p>{t('consolidation.confirmBody')}</p>
      </ConfirmDialog>
    </section>
  );
}
