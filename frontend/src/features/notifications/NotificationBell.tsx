// The bell of the header: the number of unread notifications, refreshed on every page change and every minute,
// linking to the inbox. Its accessible name says the number and contains the visible text.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { unreadCount } from './notificationsApi';

export const BELL_REFRESH_MS = 60_000;

export function NotificationBell() {
  const { t } = useTranslation('notifications');
  const location = useLocation();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const load = () =>
      unreadCount(ctl.signal)
        .then(setCount)
        .catch(() => undefined); // the bell never breaks the page; the count stays as it was
    void load();
    const timer = window.setInterval(load, BELL_REFRESH_MS);
    window.addEventListener('argine:notifications', load);
    return () => {
      ctl.abort();
      window.clearInterval(timer);
      window.removeEventListener('argine:notifications', load);
    };
  }, [location.pathname]);
  const label = count ? t('bell.unread', { count }) : t('bell.none');
  return (
    <Link to="/notifiche" className="text-white small notification-bell d-inline-flex align-items-center gap-1" aria-label={label} title={label} data-testid="bell">
      <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      {/* The visible words ("Notifiche 35", with the space) stay inside the accessible name (WCAG 2.5.3, axe
          label-content-name-mismatch): the badge shows the whole number, as the name says it. */}
      <span aria-hidden="true">{t('bell.label')}</span>{' '}
      {count ? (
        <span className="badge bg-danger rounded-pill" aria-hidden="true">
          {count}
        </span>
      ) : null}
    </Link>
  );
}

/** Tells the bell to refresh now (after marking notifications read). */
export function refreshBell() {
  window.dispatchEvent(new Event('argine:notifications'));
}
