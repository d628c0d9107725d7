// The audit trail (/attivita) for the RPCT and the OIV: the hash chain's verification first, then the records
// filtered by object, identifier, person, action and period (kept in the URL), each with its before/after, and
// the export of what the filters select. The OIV follows a review here: every save, submission, return, comment
// and approval of a leaf is one record.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditCheckpoint, AuditPublicKey, User } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, errorMessage, Loading } from '../../components/Feedback';
import { CheckboxField, FieldError, focusFirstInvalid, type FieldErrors } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { collator, formatDateTime, formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { actionLabel, auditActions, auditEntities, breakReason, entityLabel, fieldLabel } from './auditCodes';
import {
  apiQuery,
  diffFields,
  filtersFromParams,
  normalizeEntityId,
  paramsFromFilters,
  parseJSON,
  pretty,
  validateFilters,
  type AuditFilters,
} from './auditFilters';
import { useAuditNames } from './auditNames';
import { assessmentChanges, cycleOf, noNames, sentence, who, type AuditItem, type AuditNames } from './auditSentence';
import './audit.css';

interface AuditPageData {
  items: AuditItem[];
  total: number;
  page: number;
  page_size: number;
}

export interface AuditAnchor {
  kind: 'snapshot' | 'checkpoint';
  ref: string;
  source: string;
  seq: number;
  hash: string;
}

export interface Verification {
  valid: boolean;
  records: number;
  head: number;
  head_hash?: string;
  break?: { seq: number; code: string; reason: string };
  anchors?: AuditAnchor[];
  checkpoint?: AuditCheckpoint;
  public_key?: AuditPublicKey;
}

/**
 * What anchors the trail outside the database: the adopted snapshots and signed checkpoints the chain was
 * checked against, the key verifying the checkpoints (with its fingerprint, for the OIV to compare with the
 * one it was handed), and the download of the latest checkpoint, to keep outside the installation.
 */
export function AnchorPanel({ result }: { result: Verification }) {
  const { t } = useTranslation('audit');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const anchors = result.anchors ?? [];
  async function download() {
    setBusy(true);
    setError(null);
    try {
      await api.download('GET /api/v1/audit/checkpoints/latest', {}, 'punto-di-controllo-audit.json');
      announce(t('anchors.downloaded'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="anchors-title" className="mb-4" data-testid="audit-anchors">
      <h3 id="anchors-title" className="h5">
        {t('anchors.title')}
      </h3>
      <p>{t('anchors.intro')}</p>
      {anchors.length === 0 ? (
        <p>{t('anchors.none')}</p>
      ) : (
        <ul>
          {anchors.map((a) => (
            <li key={`${a.kind}-${a.ref}-${a.seq}`}>
              {a.kind === 'snapshot'
                ? t('anchors.snapshot', { cycle: a.ref, seq: formatNumber(a.seq) })
                : t('anchors.checkpoint', { when: formatDateTime(a.ref), seq: formatNumber(a.seq) })}{' '}
              <code className="text-break">{a.hash}</code>
            </li>
          ))}
        </ul>
      )}
      {result.public_key ? (
        <>
          <dl className="audit-meta">
            <dt>{t('anchors.fingerprint')}</dt>
            <dd>
              <code className="text-break" data-testid="audit-key-fingerprint">
                {result.public_key.fingerprint}
              </code>
            </dd>
            {result.checkpoint && (
              <>
                <dt>{t('anchors.latest')}</dt>
                <dd>{t('anchors.latestValue', { when: formatDateTime(result.checkpoint.created_at), seq: formatNumber(result.checkpoint.head_seq) })}</dd>
              </>
            )}
          </dl>
          <details className="mb-2">
            <summary>{t('anchors.publicKey')}</summary>
            <pre className="audit-json" tabIndex={0} role="region" aria-label={t('anchors.publicKey')}>
              {result.public_key.pem}
            </pre>
          </details>
          {result.checkpoint ? (
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => void download()} disabled={busy}>
              {busy ? t('anchors.downloading') : t('anchors.download')}
            </button>
          ) : (
            <p>{t('anchors.noCheckpointYet')}</p>
          )}
          <ErrorAlert error={error} />
        </>
      ) : (
        <p className="alert alert-warning">{t('anchors.unsigned')}</p>
      )}
    </section>
  );
}

export function VerifyResult({ result, onAgain, busy }: { result: Verification; onAgain: () => void; busy: boolean }) {
  const { t } = useTranslation('audit');
  return (
    <div className={`alert ${result.valid ? 'alert-success' : 'alert-danger'} audit-verify`} data-testid="audit-verify" data-valid={result.valid ? 'true' : 'false'}>
      {result.valid ? (
        <>
          <p className="fw-semibold mb-1">{t('verify.intact', { count: result.records, n: formatNumber(result.records) })}</p>
          <p className="mb-2">{t('verify.intactBody')}</p>
        </>
      ) : (
        <>
          <p className="fw-semibold mb-1">{result.break?.seq ? t('verify.broken', { seq: formatNumber(result.break.seq) }) : t('verify.unverifiable')}</p>
          <p className="mb-1">{breakReason(t, result.break?.code)}</p>
          <p className="mb-2">{t('verify.brokenBody', { count: result.records, n: formatNumber(result.records) })}</p>
        </>
      )}
      <button type="button" className={`btn btn-sm ${result.valid ? 'btn-outline-success' : 'btn-outline-danger'}`} onClick={onAgain} disabled={busy}>
        {busy ? t('verify.running') : t('verify.again')}
      </button>
    </div>
  );
}

function VerifyPanel() {
  const { t } = useTranslation('audit');
  const v = useApi((signal) => api.call<Verification>('GET /api/v1/audit/verify', { signal }), []);
  const first = useRef(true);
  useEffect(() => {
    if (!v.data) return;
    if (first.current) {
      first.current = false;
      if (v.data.valid) return; // an intact chain on arrival needs no interruption; a broken one does
    }
    announce(v.data.valid ? t('verify.intact', { count: v.data.records, n: formatNumber(v.data.records) }) : v.data.break?.seq ? t('verify.broken', { seq: formatNumber(v.data.break.seq) }) : t('verify.unverifiable'));
  }, [v.data, t]);
  return (
    <section aria-labelledby="verify-title" className="mb-4">
      <h2 id="verify-title" className="h4">
        {t('verify.title')}
      </h2>
      {v.loading && !v.data && <Loading />}
      <ErrorAlert error={v.error} onRetry={v.reload} />
      {v.data && <VerifyResult result={v.data} onAgain={v.reload} busy={v.loading} />}
      {v.data && <AnchorPanel result={v.data} />}
    </section>
  );
}

/** A JSON value; long ones scroll inside a focusable, named region so the keyboard can scroll them too. */
function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="audit-json" tabIndex={0} role="region" aria-label={label}>
      {pretty(value)}
    </pre>
  );
}

function RecordDetails({ r, changes, names, onFilter }: { r: AuditItem; changes: Array<{ where: string; what: string[] }> | null; names: AuditNames; onFilter: (f: Partial<AuditFilters>) => void }) {
  const { t } = useTranslation('audit');
  const before = parseJSON(r.before);
  const after = parseJSON(r.after);
  // A saved assessment reads as the shared comparison of its two versions, in Italian; the JSON stays below.
  const diff = changes ? null : before !== undefined && after !== undefined ? diffFields(before, after) : null;
  return (
    <div className="audit-details">
      {changes && (
        <section aria-label={t('details.changesTitle')} data-testid="audit-changes">
          <h4 className="h6">{t('details.changesTitle')}</h4>
          {changes.length === 0 && <p>{t('details.noChange')}</p>}
          {changes.map((c, i) => (
            <div key={i}>
              <p className="fw-semibold mb-1">{c.where}</p>
              <ul>
                {c.what.map((w, j) => (
                  <li key={j}>{w}</li>
                ))}
              </ul>
            </div>
          ))}
          <details className="mb-2">
            <summary>{t('details.rawJson')}</summary>
            {before !== undefined && (
              <>
                <h5 className="h6 mt-2">{t('details.before')}</h5>
                <Json value={before} label={t('details.before')} />
              </>
            )}
            <h5 className="h6">{t('details.after')}</h5>
            <Json value={after} label={t('details.after')} />
          </details>
        </section>
      )}
      {diff && diff.length > 0 && (
        <table className="table stack-table table-sm audit-diff">
          <caption>{t('details.diffCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('details.field')}</th>
              <th scope="col">{t('details.before')}</th>
              <th scope="col">{t('details.after')}</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((c) => (
              <tr key={c.field}>
                <th scope="row">{fieldLabel(t, c.field, r.entity)}</th>
                <td>{c.kind === 'added' ? <em>{t('details.absent')}</em> : <Json value={c.before} label={t('details.valueBefore', { field: fieldLabel(t, c.field, r.entity) })} />}</td>
                <td>{c.kind === 'removed' ? <em>{t('details.absent')}</em> : <Json value={c.after} label={t('details.valueAfter', { field: fieldLabel(t, c.field, r.entity) })} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff && diff.length === 0 && <p>{t('details.noChange')}</p>}
      {!changes && !diff && after !== undefined && (
        <>
          <h4 className="h6">{before === undefined ? t('details.recorded') : t('details.after')}</h4>
          <Json value={after} label={before === undefined ? t('details.recorded') : t('details.after')} />
        </>
      )}
      {!changes && !diff && before !== undefined && (
        <>
          <h4 className="h6">{t('details.before')}</h4>
          <Json value={before} label={t('details.before')} />
        </>
      )}
      {before === undefined && after === undefined && <p>{t('details.nothing')}</p>}
      {diff && (
        <details className="mb-2">
          <summary>{t('details.fullJson')}</summary>
          <h4 className="h6 mt-2">{t('details.before')}</h4>
          <Json value={before} label={t('details.before')} />
          <h4 className="h6">{t('details.after')}</h4>
          <Json value={after} label={t('details.after')} />
        </details>
      )}
      <dl className="audit-meta">
        <dt>{t('details.when')}</dt>
        <dd>{r.at}</dd>
        <dt>{t('details.clientAddr')}</dt>
        <dd>{r.client_addr || '—'}</dd>
        <dt>{t('details.requestId')}</dt>
        <dd>{r.request_id || '—'}</dd>
        <dt>{t('details.hash')}</dt>
        <dd>
          <code>{r.hash}</code>
        </dd>
      </dl>
      <div className="d-flex flex-wrap gap-2">
        {r.entity && r.entity_id && (
          <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => onFilter({ entity: r.entity, entity_id: r.entity_id, actor: '', action: '' })}>
            {t('details.historyOf', { entity: entityLabel(t, r.entity), id: r.entity_id })}
          </button>
        )}
        {r.actor_id && (
          <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => onFilter({ actor: r.actor_id })}>
            {t('details.byActor', { name: who(t, r, names) })}
          </button>
        )}
      </div>
    </div>
  );
}

export function AuditTable({
  items,
  first,
  total,
  onFilter,
  names = noNames,
}: {
  items: AuditItem[];
  first: number;
  total: number;
  onFilter: (f: Partial<AuditFilters>) => void;
  names?: AuditNames;
}) {
  const { t } = useTranslation('audit');
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(seq)) n.delete(seq);
      else n.add(seq);
      return n;
    });
  return (
    <div className="table-responsive">
      <table className="table stack-table audit-table" data-testid="audit-table">
        <caption>{t('table.caption', { from: formatNumber(first), to: formatNumber(first + items.length - 1), total: formatNumber(total) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('table.seq')}</th>
            <th scope="col">{t('table.when')}</th>
            <th scope="col">{t('table.record')}</th>
            <th scope="col">{t('table.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const seq = r.seq ?? 0;
            const expanded = open.has(seq);
            return (
              <AuditRow key={seq} r={r} names={names} expanded={expanded} onToggle={() => toggle(seq)} onFilter={onFilter} />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AuditRow({
  r,
  names,
  expanded,
  onToggle,
  onFilter,
}: {
  r: AuditItem;
  names: AuditNames;
  expanded: boolean;
  onToggle: () => void;
  onFilter: (f: Partial<AuditFilters>) => void;
}) {
  const { t } = useTranslation('audit');
  const seq = r.seq ?? 0;
  const id = `audit-details-${seq}`;
  const lookups = names.lookups(cycleOf(r));
  const changes = useMemo(() => assessmentChanges(t, r, lookups), [t, r, lookups]);
  return (
    <>
      <tr data-seq={seq}>
        <th scope="row">{formatNumber(seq)}</th>
        <td className="text-nowrap">{formatDateTime(r.at)}</td>
        <td>
          <span className="d-block" data-testid={`audit-sentence-${seq}`}>
            {sentence(t, r, changes, names)}
          </span>
          <span className="d-block small text-muted">
            <span>{actionLabel(t, r.action)}</span> · <span>{entityLabel(t, r.entity)}</span>
            {r.entity_id && <span className="text-break audit-entity-id"> · {r.entity_id}</span>}
          </span>
        </td>
        <td>
          <button type="button" className="btn btn-sm btn-outline-secondary text-nowrap" aria-expanded={expanded} aria-controls={id} onClick={onToggle}>
            {expanded ? t('table.hide') : t('table.show')}
            {' '}
            <span className="visually-hidden">{t('table.ofRecord', { seq })}</span>
          </button>
        </td>
      </tr>
      <tr id={id} hidden={!expanded} className="audit-details-row">
        {expanded && (
          <td colSpan={4}>
            <RecordDetails r={r} changes={changes} names={names} onFilter={onFilter} />
          </td>
        )}
      </tr>
    </>
  );
}

function Pagination({ page, pages, onPage }: { page: number; pages: number; onPage: (p: number) => void }) {
  const { t } = useTranslation('audit');
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('pagination.label')} className="d-flex flex-wrap align-items-center gap-2 my-3">
      <button type="button" className="btn btn-sm btn-outline-primary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('pagination.previous')}
      </button>
      <span aria-current="page">{t('pagination.status', { page: formatNumber(page), pages: formatNumber(pages) })}</span>
      <button type="button" className="btn btn-sm btn-outline-primary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('pagination.next')}
      </button>
    </nav>
  );
}

export function FilterForm({
  applied,
  actors,
  cycleCode,
  onApply,
  onReset,
}: {
  applied: AuditFilters;
  actors: Array<{ id: string; label: string }>;
  cycleCode: string;
  onApply: (f: AuditFilters) => void;
  onReset: () => void;
}) {
  const { t } = useTranslation('audit');
  const [draft, setDraft] = useState(applied);
  const [errors, setErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);
  const appliedKey = JSON.stringify(applied);
  useEffect(() => {
    setDraft(applied);
    setErrors({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appliedKey]);
  const set = (k: Exclude<keyof AuditFilters, 'sessions' | 'page'>) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const actionOptions = useMemo(() => [...auditActions].map((a) => ({ code: a, label: actionLabel(t, a) })).sort((a, b) => collator.compare(a.label, b.label)), [t]);
  const entityOptions = useMemo(() => auditEntities.map((e) => ({ code: e, label: entityLabel(t, e) })).sort((a, b) => collator.compare(a.label, b.label)), [t]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const v = validateFilters(draft);
    const msgs = Object.fromEntries(Object.entries(v).map(([k, c]) => [k, c === 'range_invalid' ? t('filters.rangeInvalid') : t('filters.dateInvalid')]));
    setErrors(msgs);
    if (Object.keys(msgs).length) {
      focusFirstInvalid(form.current);
      return;
    }
    onApply({ ...draft, entity_id: normalizeEntityId(draft.entity, draft.entity_id, cycleCode), page: 1 });
  }

  return (
    <form role="search" ref={form} onSubmit={submit} noValidate aria-label={t('filters.label')} className="audit-filters" data-testid="audit-filters">
      <div className="row g-3">
        <div className="col-md-4 col-lg-3">
          <label htmlFor="audit-entity" className="form-label">
            {t('filters.entity')}
          </label>
          <select id="audit-entity" className="form-select" value={draft.entity} onChange={set('entity')}>
            <option value="">{t('filters.any')}</option>
            {entityOptions.map((o) => (
              <option key={o.code} value={o.code}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="col-md-8 col-lg-5">
          <label htmlFor="audit-entity-id" className="form-label">
            {t('filters.entityId')}
          </label>
          <input id="audit-entity-id" className="form-control" value={draft.entity_id} onChange={set('entity_id')} spellCheck={false} aria-describedby="audit-entity-id-hint" />
          <small id="audit-entity-id-hint" className="form-text d-block">
            {t('filters.entityIdHint', { cycle: cycleCode || '2026-2028' })}
          </small>
        </div>
        <div className="col-md-6 col-lg-4">
          <label htmlFor="audit-actor" className="form-label">
            {t('filters.actor')}
          </label>
          <select id="audit-actor" className="form-select" value={draft.actor} onChange={set('actor')}>
            <option value="">{t('filters.anyone')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="col-md-6 col-lg-4">
          <label htmlFor="audit-action" className="form-label">
            {t('filters.action')}
          </label>
          <select id="audit-action" className="form-select" value={draft.action} onChange={set('action')}>
            <option value="">{t('filters.anyAction')}</option>
            {actionOptions.map((o) => (
              <option key={o.code} value={o.code}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="col-md-6 col-lg-4">
          <label htmlFor="audit-leaf" className="form-label">
            {t('filters.leaf')}
          </label>
          <input id="audit-leaf" className="form-control" value={draft.leaf} onChange={set('leaf')} spellCheck={false} aria-describedby="audit-leaf-hint" />
          <small id="audit-leaf-hint" className="form-text d-block">
            {t('filters.leafHint')}
          </small>
        </div>
        <div className="col-6 col-lg-4">
          <label htmlFor="audit-from" className="form-label">
            {t('filters.from')}
          </label>
          <input
            id="audit-from"
            type="date"
            className={`form-control${errors.from ? ' is-invalid' : ''}`}
            value={draft.from}
            onChange={set('from')}
            aria-invalid={errors.from ? true : undefined}
            aria-describedby={errors.from ? 'audit-from-error' : undefined}
          />
          <FieldError id="audit-from" error={errors.from} />
        </div>
        <div className="col-6 col-lg-4">
          <label htmlFor="audit-to" className="form-label">
            {t('filters.to')}
          </label>
          <input
            id="audit-to"
            type="date"
            className={`form-control${errors.to ? ' is-invalid' : ''}`}
            value={draft.to}
            onChange={set('to')}
            aria-invalid={errors.to ? true : undefined}
            aria-describedby={errors.to ? 'audit-to-error' : undefined}
          />
          <FieldError id="audit-to" error={errors.to} />
        </div>
      </div>
      <div className="mt-3">
        <CheckboxField id="audit-sessions" label={t('filters.sessions')} checked={draft.sessions} onChange={(v) => setDraft((d) => ({ ...d, sessions: v }))} />
      </div>
      <div className="d-flex flex-wrap gap-2 mt-3">
        <button type="submit" className="btn btn-primary">
          {t('filters.apply')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onReset}>
          {t('common:actions.reset')}
        </button>
      </div>
    </form>
  );
}

export default function AuditPage() {
  const { t } = useTranslation('audit');
  const s = useSession();
  const canRead = s.can('audit', 'read');
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const key = paramsFromFilters(filters).toString();
  const records = useApi(
    (signal) => (canRead ? api.call<AuditPageData>('GET /api/v1/audit', { query: apiQuery(filters), signal }) : Promise.resolve(undefined)),
    [key, canRead],
  );
  const users = useApi(
    (signal) => (canRead && s.can('user', 'read') ? api.call<{ items: User[] }>('GET /api/v1/users', { signal }).then((r) => r.items) : Promise.resolve([] as User[])),
    [canRead],
  );
  // People seen in the trail, for who cannot list the users (the OIV): the filter offers whoever appeared.
  const [seen, setSeen] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    const items = records.data?.items;
    if (!items?.length) return;
    setSeen((m) => {
      let changed = false;
      const n = new Map(m);
      for (const r of items) {
        if (r.actor_id && !n.has(r.actor_id)) {
          n.set(r.actor_id, r.actor_full_name || r.actor_name || r.actor_id);
          changed = true;
        }
      }
      return changed ? n : m;
    });
  }, [records.data]);
  const actors = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of users.data ?? []) m.set(u.id, u.full_name ? `${u.full_name} (${u.username})` : u.username);
    for (const [id, name] of seen) if (!m.has(id)) m.set(id, id === 'operator' ? t('table.operator') : name);
    if (filters.actor && !m.has(filters.actor)) m.set(filters.actor, filters.actor);
    return [...m.entries()].map(([id, label]) => ({ id, label })).sort((a, b) => collator.compare(a.label, b.label));
  }, [users.data, seen, filters.actor, t]);
  // People by full name in the sentences: whoever the users list names, else as the trail last named them.
  const people = useMemo(() => {
    const m = new Map(seen);
    for (const u of users.data ?? []) if (u.full_name) m.set(u.id, u.full_name);
    return m;
  }, [users.data, seen]);
  const names = useAuditNames(records.data?.items, people);
  const [exporting, setExporting] = useState<'' | 'csv' | 'json'>('');
  const [exportError, setExportError] = useState<unknown>(null);

  const total = records.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (records.data?.page_size || 50)));
  const firstOnPage = ((records.data?.page ?? 1) - 1) * (records.data?.page_size || 50) + 1;

  const lastAnnounced = useRef('');
  useEffect(() => {
    if (!records.data || records.loading) return;
    const msg = t('results.count', { count: records.data.total, n: formatNumber(records.data.total) });
    if (lastAnnounced.current !== key) {
      lastAnnounced.current = key;
      announce(msg);
    }
  }, [records.data, records.loading, key, t]);

  const apply = (f: AuditFilters) => setParams(paramsFromFilters(f));
  const patch = (p: Partial<AuditFilters>) => {
    setParams(paramsFromFilters({ ...filters, ...p, page: 1 }));
    window.scrollTo({ top: 0 });
  };

  async function exportAs(format: 'csv' | 'json') {
    setExporting(format);
    setExportError(null);
    try {
      await api.download('GET /api/v1/audit/export', { query: { ...apiQuery(filters, false), format } }, format === 'csv' ? 'registro-attivita.csv' : 'registro-attivita.jsonl');
      announce(t('export.done'));
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting('');
    }
  }

  if (!canRead) {
    return (
      <Page title={t('title')} crumbs={[{ label: t('title') }]}>
        <div className="alert alert-warning">{t('forbidden')}</div>
      </Page>
    );
  }

  return (
    <Page title={t('title')} crumbs={[{ label: t('title') }]}>
      <p>{t('intro')}</p>
      <VerifyPanel />
      <section aria-labelledby="records-title">
        <h2 id="records-title" className="h4">
          {t('records.title')}
        </h2>
        <FilterForm applied={filters} actors={actors} cycleCode={s.cycle?.code ?? ''} onApply={apply} onReset={() => setParams(new URLSearchParams())} />
        <div className="d-flex flex-wrap align-items-center justify-content-between gap-2 mt-4 mb-2">
          <p className="mb-0" data-testid="audit-count">
            {records.data ? t('results.count', { count: total, n: formatNumber(total) }) : '\u00a0'}
          </p>
          <div className="d-flex flex-wrap gap-2" role="group" aria-label={t('export.label')}>
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => void exportAs('csv')} disabled={exporting !== ''}>
              {exporting === 'csv' ? t('export.running') : t('export.csv')}
            </button>
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => void exportAs('json')} disabled={exporting !== ''}>
              {exporting === 'json' ? t('export.running') : t('export.json')}
            </button>
          </div>
        </div>
        {exportError !== null && (
          <p className="text-danger" role="alert">
            {errorMessage(t, exportError)}
          </p>
        )}
        {records.loading && <Loading />}
        <ErrorAlert error={records.error} onRetry={records.reload} />
        {records.data && records.data.items.length === 0 && <p>{t('results.none')}</p>}
        {records.data && records.data.items.length > 0 && (
          <>
            <AuditTable key={key} items={records.data.items} first={firstOnPage} total={total} onFilter={patch} names={names} />
            <Pagination page={filters.page} pages={pages} onPage={(p) => setParams(paramsFromFilters({ ...filters, page: p }))} />
          </>
        )}
      </section>
    </Page>
  );
}

