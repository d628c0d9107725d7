// The administrator's outbox (/notifiche/email): the ente's notification e-mails, queued, sent or failed with
// the error, with a resend; and whether e-mail is configured at all.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ProblemAlert, SelectField } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { PAGE_SIZE, outbox, resend } from './notificationsApi';

export default function OutboxPage() {
  const { t } = useTranslation('notifications');
  const [state, setState] = useState('');
  const [page, setPage] = useState(1);
  const [failure, setFailure] = useState<unknown>(null);
  const list = useApi((signal) => outbox(page, state, signal), [page, state]);
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  async function again(id: string) {
    setFailure(null);
    try {
      await resend(id);
      announce(t('outbox.resent'));
      list.reload();
    } catch (e) {
      setFailure(e);
    }
  }
  const v = list.data;
  return (
    <Page title={t('outbox.title')}>
      <p>{t('outbox.intro')}</p>
      {v && (v.smtp ? <p>{t('outbox.smtp', { smtp: v.smtp })}</p> : <p className="alert alert-warning">{t('outbox.noSmtp')}</p>)}
      {v && <p>{t('outbox.counts', { queued: v.counts.queued ?? 0, sent: v.counts.sent ?? 0, failed: v.counts.failed ?? 0 })}</p>}
      <SelectField
        id="outbox-state"
        label={t('outbox.state')}
        className="outbox-filter"
        value={state}
        onChange={(s) => {
          setState(s);
          setPage(1);
        }}
      >
        <option value="">{t('outbox.all')}</option>
        <option value="queued">{t('outbox.states.queued')}</option>
        <option value="sent">{t('outbox.states.sent')}</option>
        <option value="failed">{t('outbox.states.failed')}</option>
      </SelectField>
      <ProblemAlert error={failure} ns="notifications" />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.loading && !v && <Loading />}
      {v && v.items.length === 0 && <p>{t('outbox.empty')}</p>}
      {v && v.items.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table table-sm">
            <caption className="visually-hidden">{t('outbox.tableLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbox.created')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.state')}</th>
                <th scope="col">{t('outbox.attempts')}</th>
                <th scope="col">{t('outbox.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {v.items.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.created_at)}</td>
                  <td className="text-break">{m.to}</td>
                  <td>{m.subject}</td>
                  <td>{t(`outbox.states.${m.state}`)}</td>
                  <td>{m.attempts}</td>
                  <td>
                    {m.state === 'sent' && m.sent_at && t('outbox.sentAt', { when: formatDateTime(m.sent_at) })}
                    {m.state === 'queued' && t('outbox.next', { when: formatDateTime(m.next_attempt_at) })}
                    {m.last_error && <div className="small text-danger text-break">{m.last_error}</div>}
                    {m.state !== 'queued' && (
                      <button type="button" className="btn btn-outline-primary btn-sm mt-1" onClick={() => void again(m.id)}>
                        {t('outbox.resend')}
                        <span className="visually-hidden">: {m.subject}, {m.to}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
    </Page>
  );
}
