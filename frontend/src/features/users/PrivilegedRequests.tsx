// Two-person changes to the RPCT and OIV roles and to their holders' accounts: on a user's panel the actions
// become "Richiedi ..." (a request), and "Richieste da confermare" lists the waiting requests with Conferma and
// Rifiuta for whoever may decide them (never the requester, never the person concerned, never the RPCT on an
// OIV matter: the server says so in can_decide). A confirmed password reset shows the temporary password once,
// to the confirmer, who hands it over.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PendingPrivilegedRequest, PrivilegedDecision, PrivilegedRequest, PrivilegedRequestKind, User } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ConfirmDialog, ProblemAlert } from '../../components/FormKit';
import { Dialog } from '../../components/Modal';
import { announce } from '../../lib/announce';
import { formatDateTime, personLabel } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { privilegedRole, requestKinds, type Acting } from './userRules';

/** The "Richiedi ..." actions of one user's panel. */
export function PrivilegedActions({ user, actor, onAsked }: { user: User; actor: Acting; onAsked: () => void }) {
  const { t } = useTranslation('users');
  const [asking, setAsking] = useState<PrivilegedRequestKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const kinds = requestKinds(actor, user);
  const held = privilegedRole(user);
  if (kinds.length === 0 && !held) return null;
  const label = (k: PrivilegedRequestKind) => t(`privileged.labels.${k}`, { user: personLabel(user) });

  async function ask() {
    if (!asking) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.call<PrivilegedRequest>('POST /api/v1/privileged-requests', { body: { kind: asking, target_id: user.id } });
      const text = t('privileged.asked', { what: label(asking) });
      setDone(text);
      announce(text);
      setAsking(null);
      onAsked();
    } catch (err) {
      setAsking(null);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-4" data-testid="privileged-actions">
      <h3 className="h5">{t('privileged.title')}</h3>
      {held && (
        <p>{kinds.length > 0 || user.id === actor.id ? t('privileged.protected', { user: personLabel(user), role: t(`common:roles.${held}`) }) : t('privileged.untouchable', { user: personLabel(user), role: t(`common:roles.${held}`) })}</p>
      )}
      {kinds.length > 0 && (
        <>
          <p className="small">{t('privileged.intro')}</p>
          <div className="d-flex flex-wrap gap-2">
            {kinds.map((k) => (
              <button key={k} type="button" className="btn btn-outline-primary" onClick={() => setAsking(k)} disabled={busy}>
                {t(`privileged.kinds.${k}`, { user: personLabel(user) })}
              </button>
            ))}
          </div>
        </>
      )}
      {done && (
        <p className="text-success mt-2 mb-0" role="status">
          {done}
        </p>
      )}
      <ProblemAlert error={failure} ns="users" />
      <ConfirmDialog
        id="privileged-ask-dialog"
        open={asking !== null}
        title={t('privileged.askTitle')}
        confirmLabel={t('privileged.ask')}
        onConfirm={() => void ask()}
        onCancel={() => setAsking(null)}
        busy={busy}
      >
        <p className="mb-0">{asking && t('privileged.askBody', { what: label(asking) })}</p>
      </ConfirmDialog>
    </div>
  );
}

type Deciding = { request: PendingPrivilegedRequest; action: 'confirm' | 'reject' };

/** "Richieste da confermare": the waiting requests of the ente. */
export function PendingRequestsPanel({ refresh, onDecided }: { refresh: number; onDecided: () => void }) {
  const { t } = useTranslation('users');
  const pending = useApi((signal) => api.call<{ items: PendingPrivilegedRequest[] }>('GET /api/v1/privileged-requests', { signal }).then((r) => r.items), [refresh]);
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [temporary, setTemporary] = useState<{ user: string; password: string } | null>(null);
  const what = (r: PrivilegedRequest) => t(`privileged.labels.${r.kind}`, { user: r.target_username });

  async function decide() {
    if (!deciding) return;
    const { request, action } = deciding;
    setBusy(true);
    setFailure(null);
    try {
      if (action === 'confirm') {
        const d = await api.call<PrivilegedDecision>('POST /api/v1/privileged-requests/:id/confirm', { params: { id: request.id } });
        if (d.temporary_password) setTemporary({ user: request.target_username, password: d.temporary_password });
        announce(t('privileged.pending.confirmed', { what: what(request) }));
      } else {
        await api.call<PrivilegedRequest>('POST /api/v1/privileged-requests/:id/reject', { params: { id: request.id } });
        announce(t('privileged.pending.rejected', { what: what(request) }));
      }
      setDeciding(null);
      pending.reload();
      onDecided();
    } catch (err) {
      setDeciding(null);
      setFailure(err);
      pending.reload(); // it may have been decided or have expired meanwhile
    } finally {
      setBusy(false);
    }
  }

  const items = pending.data ?? [];
  return (
    <section aria-labelledby="pending-requests-title" className="mt-4" data-testid="pending-requests">
      <h2 id="pending-requests-title" className="h4">
        {t('privileged.pending.title')}
      </h2>
      <p className="small">{t('privileged.intro')}</p>
      <ErrorAlert error={pending.error} onRetry={pending.reload} />
      {pending.loading && !pending.data && <Loading />}
      {pending.data && items.length === 0 && <p>{t('privileged.pending.none')}</p>}
      {items.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table">
            <caption>{t('privileged.pending.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('privileged.pending.what')}</th>
                <th scope="col">{t('privileged.pending.by')}</th>
                <th scope="col">{t('privileged.pending.when')}</th>
                <th scope="col">{t('privileged.pending.expires')}</th>
                <th scope="col">{t('privileged.pending.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{what(r)}</th>
                  <td>{r.requested_by_username}</td>
                  <td className="text-nowrap">{formatDateTime(r.requested_at)}</td>
                  <td className="text-nowrap">{formatDateTime(r.expires_at)}</td>
                  <td>
                    {r.can_decide ? (
                      <div className="d-flex flex-wrap gap-2">
                        <button type="button" className="btn btn-sm btn-primary" onClick={() => setDeciding({ request: r, action: 'confirm' })}>
                          {t('privileged.pending.confirm')} <span className="visually-hidden">{what(r)}</span>
                        </button>
                        <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setDeciding({ request: r, action: 'reject' })}>
                          {t('privileged.pending.reject')} <span className="visually-hidden">{what(r)}</span>
                        </button>
                      </div>
                    ) : (
                      <span className="small">{t('privileged.pending.notYours')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ProblemAlert error={failure} ns="users" />
      <ConfirmDialog
        id="privileged-decide-dialog"
        open={deciding !== null}
        title={deciding?.action === 'reject' ? t('privileged.pending.rejectTitle') : t('privileged.pending.confirmTitle')}
        confirmLabel={deciding?.action === 'reject' ? t('privileged.pending.reject') : t('privileged.pending.confirm')}
        onConfirm={() => void decide()}
        onCancel={() => setDeciding(null)}
        busy={busy}
        danger={deciding?.action === 'reject'}
      >
        <p className="mb-0">
          {deciding &&
            t(deciding.action === 'reject' ? 'privileged.pending.rejectBody' : 'privileged.pending.confirmBody', {
              what: what(deciding.request),
              by: deciding.request.requested_by_username,
            })}
        </p>
      </ConfirmDialog>
      <Dialog
        open={temporary !== null}
        id="temporary-password"
        title={temporary ? t('privileged.pending.passwordTitle', { user: temporary.user }) : ''}
        onClose={() => setTemporary(null)}
        footer={
          <button type="button" className="btn btn-primary" onClick={() => setTemporary(null)}>
            {t('privileged.pending.passwordDone')}
          </button>
        }
      >
        {temporary && (
          <>
            <p>{t('privileged.pending.passwordBody', { user: temporary.user })}</p>
            <div className="form-group argine-field">
              <label htmlFor="temporary-password-value" className="active">
                {t('privileged.pending.passwordLabel')}
              </label>
              <input id="temporary-password-value" className="form-control font-monospace" value={temporary.password} readOnly autoComplete="off" spellCheck={false} />
            </div>
          </>
        )}
      </Dialog>
    </section>
  );
}
