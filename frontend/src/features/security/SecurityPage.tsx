// The person's own security: the active sessions (device, address, started, last used; end any of them) and the
// second factor (TOTP enrolment with QR code and recovery codes). ForcedMFAPage replaces every page while a role
// of the user requires a second factor that is not enrolled yet (the API refuses everything else meanwhile).
import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { MFAEnrolment, MFAStatus, SessionView } from '../../api/schema.gen';
import { useSessionState } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ConfirmDialog, TextField, apiFieldErrors } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';


/** "Firefox su Windows", or the raw User-Agent when nothing is recognised. */
export function deviceLabel(t: TFunction, s: Pick<SessionView, 'browser' | 'os' | 'user_agent'>): string {
  if (s.browser && s.os) return t('security:sessions.deviceOn', { browser: s.browser, os: s.os });
  return s.browser || s.os || s.user_agent || t('security:sessions.unknownDevice');
}

export function SessionsSection() {
  const { t } = useTranslation('security');
  const { signOut } = useSessionState();
  const list = useApi((signal) => api.call<{ items: SessionView[] }>('GET /api/v1/me/sessions', { signal }), []);
  const [ending, setEnding] = useState<SessionView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function end() {
    if (!ending) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('DELETE /api/v1/me/sessions/:id', { params: { id: ending.id } });
      const current = ending.current;
      setEnding(null);
      announce(t('sessions.ended'));
      if (current) await signOut();
      else list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="sessions-title" className="mb-5">
      <h2 id="sessions-title" className="h4">
        {t('sessions.title')}
      </h2>
      <p>{t('sessions.intro')}</p>
      <ErrorAlert error={list.error ?? error} onRetry={list.error ? list.reload : undefined} />
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <ul className="list-unstyled">
          {(list.data?.items ?? []).map((s) => (
            <li key={s.id} className="border rounded p-3 mb-2 d-flex flex-wrap justify-content-between gap-2" data-testid="session">
              <div>
                <strong>{deviceLabel(t, s)}</strong>
                {s.current && <span className="badge bg-primary ms-2">{t('sessions.current')}</span>}
                <dl className="small mb-0 mt-1">
                  <div>
                    <dt className="d-inline">{t('sessions.address')}: </dt>
                    <dd className="d-inline">{s.client_addr || '—'}</dd>
                  </div>
                  <div>
                    <dt className="d-inline">{t('sessions.started')}: </dt>
                    <dd className="d-inline">{formatDateTime(s.created_at)}</dd>
                  </div>
                  <div>
                    <dt className="d-inline">{t('sessions.lastUsed')}: </dt>
                    <dd className="d-inline">{formatDateTime(s.last_used_at)}</dd>
                  </div>
                </dl>
              </div>
              <div>
                <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => setEnding(s)}>
                  {s.current ? t('sessions.endCurrent') : t('sessions.end')}
                  <span className="visually-hidden"> – {deviceLabel(t, s)}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog id="end-session" open={!!ending} title={t('sessions.confirmTitle')} confirmLabel={t('sessions.end')} onConfirm={() => void end()} onCancel={() => setEnding(null)} busy={busy} danger>
        <p>{ending?.current ? t('sessions.confirmCurrent') : t('sessions.confirmBody', { device: ending ? deviceLabel(t, ending) : '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

/** Enrolment: start (secret + QR code), confirm with a code, then show the recovery codes once. */
export function MFAEnrol({ onEnrolled }: { onEnrolled?: () => void }) {
  const { t } = useTranslation('security');
  const [enrolment, setEnrolment] = useState<MFAEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<string[] | null>(null);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await api.call<MFAEnrolment>('POST /api/v1/me/mfa/totp'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setCodeError(t('enrol.codeInvalid'));
      return;
    }
    setCodeError('');
    setBusy(true);
    try {
      const out = await api.call<{ recovery_codes: string[] }>('POST /api/v1/me/mfa/totp/confirm', { body: { code: code.replace(/\s/g, '') } });
      setRecovery(out.recovery_codes);
      announce(t('enrol.done'));
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'security');
      if (fe.code) setCodeError(fe.code);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (recovery) {
    return (
      <div>
        <div className="alert alert-success" role="status">
          {t('enrol.done')}
        </div>
        <h3 className="h5">{t('enrol.recoveryTitle')}</h3>
        <p>{t('enrol.recoveryIntro')}</p>
        <ul className="list-unstyled font-monospace" aria-label={t('enrol.recoveryTitle')}>
          {recovery.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <button type="button" className="btn btn-primary" onClick={() => onEnrolled?.()}>
          {t('enrol.continue')}
        </button>
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div>
        <ErrorAlert error={error} />
        <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={busy}>
          {t('enrol.start')}
        </button>
      </div>
    );
  }
  return (
    <div>
      <ol>
        <li>{t('enrol.step1')}</li>
        <li>
          {t('enrol.step2')}
          <div className="my-2">
            <img src={enrolment.qr_png} width={200} height={200} alt={t('enrol.qrAlt')} />
          </div>
          <p className="small">
            {t('enrol.manual')} <code className="text-break">{enrolment.secret}</code>
          </p>
        </li>
        <li>{t('enrol.step3')}</li>
      </ol>
      <ErrorAlert error={error} />
      <form onSubmit={confirm} noValidate style={{ maxWidth: '24rem' }}>
        <TextField id="mfa-confirm-code" label={t('enrol.code')} hint={t('enrol.codeHint')} value={code} onChange={setCode} autoComplete="one-time-code" error={codeError} required spellCheck={false} />
        <button type="submit" className="btn btn-primary mt-3" disabled={busy}>
          {t('enrol.confirm')}
        </button>
      </form>
    </div>
  );
}

export function MFASection() {
  const { t } = useTranslation('security');
  const st = useApi((signal) => api.call<MFAStatus>('GET /api/v1/me/mfa', { signal }), []);
  return (
    <section aria-labelledby="mfa-title" className="mb-5">
      <h2 id="mfa-title" className="h4">
        {t('mfa.title')}
      </h2>
      <p>{t('mfa.intro')}</p>
      <ErrorAlert error={st.error} onRetry={st.reload} />
      {st.loading && !st.data ? (
        <Loading />
      ) : st.data?.enrolled ? (
        <div>
          <p>
            <span className="badge bg-success me-2">{t('mfa.active')}</span>
            {t('mfa.since', { date: formatDateTime(st.data.enrolled_at) })}
          </p>
          <p>{t('mfa.recoveryLeft', { count: st.data.recovery_codes_left })}</p>
          <p className="small text-muted">{t('mfa.resetHint')}</p>
        </div>
      ) : (
        <div>
          <p>{st.data?.required ? t('mfa.required') : t('mfa.optional')}</p>
          <MFAEnrol onEnrolled={st.reload} />
        </div>
      )}
    </section>
  );
}

export default function SecurityPage() {
  const { t } = useTranslation('security');
  return (
    <Page title={t('title')}>
      <SessionsSection />
      <MFASection />
    </Page>
  );
}

/** Shown instead of every page while a role requires a second factor that is not enrolled yet. */
export function ForcedMFAPage() {
  const { t } = useTranslation('security');
  const { session, signOut } = useSessionState();
  return (
    <div className="container py-5" style={{ maxWidth: '40rem' }}>
      <h1 className="h2 mb-3">{t('forced.title')}</h1>
      <p>{t('forced.intro', { name: session?.me.user.full_name || session?.me.user.username })}</p>
      <MFAEnrol onEnrolled={() => void session?.reloadMe()} />
      <button type="button" className="btn btn-link mt-4 px-0" onClick={() => void signOut()}>
        {t('forced.signOut')}
      </button>
    </div>
  );
}
