// A user's active sessions, for whoever manages the account (same separation rules as its profile): how many and
// where, and one button that ends them all (a lost laptop, a departure).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { SessionView } from '../../api/schema.gen';
import { ConfirmDialog, ProblemAlert } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';

export function UserSessions({ userId, username }: { userId: string; username: string }) {
  const { t } = useTranslation('security');
  const list = useApi((signal) => api.call<{ items: SessionView[] }>('GET /api/v1/users/:id/sessions', { params: { id: userId }, signal }), [userId]);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const items = list.data?.items ?? [];

  async function endAll() {
    setBusy(true);
    setFailure(null);
    try {
      const out = await api.call<{ ended: number }>('DELETE /api/v1/users/:id/sessions', { params: { id: userId } });
      setOpen(false);
      announce(t('admin.ended', { count: out.ended }));
      list.reload();
    } catch (err) {
      setOpen(false);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-4">
      <h3 className="h5">{t('sessions.title')}</h3>
      <ProblemAlert error={list.error ?? failure} ns="security" />
      {!list.loading && (
        <>
          <p data-testid="user-sessions">{items.length === 0 ? t('admin.none') : t('admin.count', { count: items.length })}</p>
          {items.length > 0 && (
            <ul className="small">
              {items.map((s) => (
                <li key={s.id}>
                  {[s.browser, s.os].filter(Boolean).join(' · ') || s.user_agent || '—'} · {s.client_addr} · {t('sessions.lastUsed')} {formatDateTime(s.last_used_at)}
                </li>
              ))}
            </ul>
          )}
          {items.length > 0 && (
            <button type="button" className="btn btn-outline-danger" onClick={() => setOpen(true)}>
              {t('admin.endAll')}
            </button>
          )}
        </>
      )}
      <ConfirmDialog id="user-sessions-dialog" open={open} title={t('admin.confirmTitle', { user: username })} confirmLabel={t('admin.endAll')} onConfirm={() => void endAll()} onCancel={() => setOpen(false)} busy={busy} danger>
        <p className="mb-0">{t('admin.confirmBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
