// Sign-in form. Used as a page and inside the session-expired dialog (so typed text elsewhere survives).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionState } from '../auth/session';
import { errorMessage } from '../components/Feedback';

export function LoginForm({ onDone, initialUsername = '', idPrefix = 'login' }: { onDone?: () => void; initialUsername?: string; idPrefix?: string }) {
  const { t } = useTranslation();
  const { signIn } = useSessionState();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

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
      await signIn(username.trim(), password);
      onDone?.();
    } catch (err) {
      setError(errorMessage(t, err));
      setPassword('');
      passRef.current?.focus();
    } finally {
      setBusy(false);
    }
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
  return (
    <div className="container py-5" style={{ maxWidth: '32rem' }}>
      <h1 className="h2 mb-3">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <LoginForm />
      <p className="small text-muted mt-4">{t('login.demo')}</p>
    </div>
  );
}
