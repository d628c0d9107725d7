// Sign-in form. Used as a page and inside the session-expired dialog (so typed text elsewhere survives).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionState } from '../auth/session';
import { errorMessage } from '../components/Feedback';
import { CheckboxField, TextField } from '../components/FormKit';
import { ApiError, api } from '../api/client';
import type { OIDCProvider } from '../api/schema.gen';

/** Second step of a sign-in for an account with a second factor: a code of the app, or a recovery code. */
function MFAStep({ mfaToken, idPrefix, onRestart, onDone }: { mfaToken: string; idPrefix: string; onRestart: (why: string) => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { completeMFA } = useSessionState();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!code.trim()) {
      setError(t('security:login.codeRequired'));
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      await completeMFA(mfaToken, recovery ? { recovery_code: code.trim() } : { code: code.trim() });
      onDone?.();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_token_invalid') {
        onRestart(errorMessage(t, err));
        return;
      }
      setError(errorMessage(t, err));
      setCode('');
      codeRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <p>{t('security:login.intro')}</p>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <TextField
        id={`${idPrefix}-mfa-code`}
        label={recovery ? t('security:login.recoveryCode') : t('security:login.code')}
        hint={recovery ? t('security:login.recoveryHint') : t('security:login.codeHint')}
        value={code}
        onChange={setCode}
        autoComplete="one-time-code"
        inputRef={codeRef}
        spellCheck={false}
        required
      />
      <CheckboxField id={`${idPrefix}-mfa-recovery`} label={t('security:login.useRecovery')} checked={recovery} onChange={setRecovery} />
      <div className="d-flex gap-2 flex-wrap mt-3">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('login.submitting') : t('security:login.verify')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={() => onRestart('')}>
          {t('security:login.back')}
        </button>
      </div>
    </form>
  );
}

/** "Accedi con <provider>" for each ente whose identity provider is configured (single sign-on). */
function SingleSignOnLinks() {
  const { t } = useTranslation();
  const [providers, setProviders] = useState<OIDCProvider[]>([]);
  useEffect(() => {
    let live = true;
    api
      .call<{ items: OIDCProvider[] }>('GET /api/v1/auth/oidc/providers')
      .then((r) => live && setProviders(r.items))
      .catch(() => undefined); // without the list the password form still works
    return () => {
      live = false;
    };
  }, []);
  if (providers.length === 0) return null;
  return (
    <section className="mb-4" aria-labelledby="login-sso-title">
      <h2 id="login-sso-title" className="h5">
        {t('login.ssoTitle')}
      </h2>
      <div className="d-flex flex-column gap-2">
        {providers.map((p) => (
          <a key={p.ente} className="btn btn-primary" href={p.login_url}>
            {t('login.ssoButton', { name: p.display_name })}
          </a>
        ))}
      </div>
      <p className="small text-muted mt-2 mb-0">{t('login.ssoHint')}</p>
    </section>
  );
}

export function LoginForm({
  onDone,
  initialUsername = '',
  idPrefix = 'login',
  initialMfaToken = '',
  initialError = '',
}: {
  onDone?: () => void;
  initialUsername?: string;
  idPrefix?: string;
  initialMfaToken?: string;
  initialError?: string;
}) {
  const { t } = useTranslation();
  const { signIn } = useSessionState();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState(initialError);
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);
  const [mfaToken, setMfaToken] = useState(initialMfaToken);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const m = { username: !username.trim(), password: !password };
    setMissing(m);
    if (m.username || m.password) {
      (m.username ? userRef : passRef).current?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      const out = await signIn(username.trim(), password);
      if (out.mfaToken) {
        setPassword('');
        setMfaToken(out.mfaToken);
        return;
      }
      onDone?.();
    } catch (err) {
      setError(errorMessage(t, err));
      setPassword('');
      passRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  if (mfaToken) {
    return (
      <MFAStep
        mfaToken={mfaToken}
        idPrefix={idPrefix}
        onDone={onDone}
        onRestart={(why) => {
          setMfaToken('');
          setError(why);
        }}
      />
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      <div className="form-group mb-4">
        <label htmlFor={`${idPrefix}-username`} className="active">
          {t('login.username')}
        </label>
        <input
          ref={userRef}
          id={`${idPrefix}-username`}
          className={`form-control${missing.username ? ' is-invalid' : ''}`}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={missing.username || undefined}
          aria-describedby={missing.username ? `${idPrefix}-username-error` : undefined}
          required
        />
        {missing.username && (
          <div id={`${idPrefix}-username-error`} className="invalid-feedback d-block">
            {t('login.required')}
          </div>
        )}
      </div>
      <div className="form-group mb-4">
        <label htmlFor={`${idPrefix}-password`} className="active">
          {t('login.password')}
        </label>
        <input
          ref={passRef}
          id={`${idPrefix}-password`}
          type="password"
          className={`form-control${missing.password ? ' is-invalid' : ''}`}
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={missing.password || undefined}
          aria-describedby={missing.password ? `${idPrefix}-password-error` : undefined}
          required
        />
        {missing.password && (
          <div id={`${idPrefix}-password-error`} className="invalid-feedback d-block">
            {t('login.required')}
          </div>
        )}
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  // What a single sign-on came back with: the TOTP step, or why it failed (in Italian).
  const [signOn] = useState(() => api.takeSignOnResult());
  const signOnError = signOn.error ? t(`errors:${signOn.error}`, { defaultValue: t('errors:oidc_failed') }) : '';
  return (
    <div className="container py-5" style={{ maxWidth: '32rem' }}>
      <h1 className="h2 mb-3">{t('login.title')}</h1>
      {!signOn.mfaToken && <SingleSignOnLinks />}
      <p>{t('login.intro')}</p>
      <LoginForm initialMfaToken={signOn.mfaToken} initialError={signOnError} />
      <p className="small text-muted mt-4">{t('login.demo')}</p>
    </div>
  );
}
