// The inbox (/notifiche): the caller's notifications, newest first, paged; unread ones marked; each opens the
// screen it is about (selecting its cycle first) and is then read.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Notification } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { refreshBell } from './NotificationBell';
import './notifications.css';
import { PAGE_SIZE, inbox, markAllRead, markRead, splitLink } from './notificationsApi';

export default function InboxPage() {
  const { t } = useTranslation('notifications');
  const s = useSession();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const list = useApi((signal) => inbox(page, onlyUnread, signal), [page, onlyUnread]);
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  async function act(fn: () => Promise<unknown>, message: string) {
    setFailure(null);
    try {
      await fn();
      announce(message);
      refreshBell();
      list.reload();
    } catch (e) {
      setFailure(e);
    }
  }

  async function open(n: Notification) {
    const { path, cycle } = splitLink(n.link);
    if (!n.read_at) await markRead(n.id).catch(() => undefined);
    refreshBell();
    if (cycle && s.cycles.some((c) => c.code === cycle) && s.cycle?.code !== cycle) s.selectCycle(cycle);
    navigate(path);
  }

  return (
    <Page
      title={t('inbox.title')}
      actions={
        <Link className="btn btn-outline-primary btn-sm" to="/notifiche/preferenze">
          {t('inbox.preferences')}
        </Link>
      }
    >
      <p>{t('inbox.intro')}</p>
      <div className="d-flex flex-wrap gap-3 align-items-center mb-3">
        <div className="form-check mb-0">
          <input
            id="only-unread"
            className="form-check-input"
            type="checkbox"
            checked={onlyUnread}
            onChange={(e) => {
              setOnlyUnread(e.target.checked);
              setPage(1);
            }}
          />
          <label className="form-check-label" htmlFor="only-unread">
            {t('inbox.onlyUnread')}
          </label>
        </div>
        <button type="button" className="btn btn-outline-primary btn-sm" disabled={!list.data?.unread} onClick={() => void act(markAllRead, t('inbox.markedAll'))}>
          {t('inbox.markAll')}
        </button>
      </div>
      <ErrorAlert error={failure} />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          <p className="small text-muted" aria-live="polite">
            {t('inbox.summary', { total: list.data.total, unread: list.data.unread })}
          </p>
          {list.data.items.length === 0 ? (
            <p>{onlyUnread ? t('inbox.emptyUnread') : t('inbox.empty')}</p>
          ) : (
            <ul className="list-unstyled notification-list" aria-label={t('inbox.listLabel')}>
              {list.data.items.map((n) => (
                <li key={n.id} className={`card card-body mb-2 p-3 ${n.read_at ? '' : 'border-start border-4 border-primary'}`} data-testid="notification">
                  <div className="d-flex flex-wrap justify-content-between gap-2">
                    <h2 className="h6 mb-1">
                      {!n.read_at && <span className="badge bg-primary me-2">{t('inbox.unread')}</span>}
                      {n.subject}
                    </h2>
                    <span className="small text-muted">
                      {formatDateTime(n.created_at)} · {t(`kinds.${n.kind}`)}
                    </span>
                  </div>
                  <p className="mb-2 notification-body">{n.body}</p>
                  <div className="d-flex flex-wrap gap-2 align-items-center">
                    <a
                      href={n.link}
                      className="btn btn-primary btn-sm"
                      onClick={(e) => {
                        e.preventDefault();
                        void open(n);
                      }}
                    >
                      {t('inbox.open')}
                      <span className="visually-hidden">: {n.subject}</span>
                    </a>
                    {!n.read_at && (
                      <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => void act(() => markRead(n.id), t('inbox.marked'))}>
                        {t('inbox.markRead')}
                        <span className="visually-hidden">: {n.subject}</span>
                      </button>
                    )}
                    {n.email !== 'none' && <span className="small text-muted">{t(`inbox.email.${n.email}`)}</span>}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {pages > 1 && (
            <nav className="d-flex gap-2 align-items-center" aria-label={t('inbox.page', { page, pages })}>
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                {t('inbox.previous')}
              </button>
              <span>{t('inbox.page', { page, pages })}</span>
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                {t('inbox.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </Page>
  );
}
