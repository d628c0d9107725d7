import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useSessionState } from '../auth/session';
import { ErrorAlert } from '../components/Feedback';
import { FieldError } from '../components/FormKit';
import { Page } from '../components/Page';
import { announce } from '../lib/announce';

export function validatePasswordChange(next: string, repeat: string): 'tooShort' | 'mismatch' | null {
  if ([...next].length < 12) return 'tooShort';
  if (next !== repeat) return 'mismatch';
  return null;
}

/** The change form: current password, new one twice. onChanged runs after the server accepted the change. */
function PasswordForm({ onChanged }: { onChanged?: () => Promise<void> | void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<'tooShort' | 'mismatch' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = validatePasswordChange(next, repeat);
    setProblem(p);
    setDone(false);
    if (p) return;
    setError(null);
    try {
      await api.call('POST /api/v1/me/password', { body: { current_password: current, new_password: next } });
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
      announce(t('password.done'));
      await onChanged?.();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form onSubmit={submit} noValidate style={{ maxWidth: '32rem' }}>
      {done && (
        <div className="alert alert-success" role="status">
          {t('password.done')}
        </div>
      )}
      <ErrorAlert error={error} />
      <div className="form-group mb-4">
        <label htmlFor="pw-current" className="active">
          {t('password.current')}
        </label>
        <input id="pw-current" type="password" className="form-control" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </div>
      <div className="form-group mb-4">
        <label htmlFor="pw-new" className="active">
          {t('password.new')}
        </label>
        <input
          id="pw-new"
          type="password"
          className={`form-control${problem === 'tooShort' ? ' is-invalid' : ''}`}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-describedby="pw-new-hint pw-new-error"
          aria-invalid={problem === 'tooShort' || undefined}
          required
        />
        <small id="pw-new-hint" className="form-text">
          {t('password.hint')}
        </small>
        <FieldError id="pw-new" error={problem === 'tooShort' && t('password.tooShort')} />
      </div>
      <div className="form-group mb-4">
        <label htmlFor="pw-repeat" className="active">
          {t('password.confirm')}
        </label>
        <input
          id="pw-repeat"
          type="password"
          className={`form-control${problem === 'mismatch' ? ' is-invalid' : ''}`}
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          aria-describedby="pw-repeat-error"
          aria-invalid={problem === 'mismatch' || undefined}
          required
        />
        <FieldError id="pw-repeat" error={problem === 'mismatch' && t('password.mismatch')} />
      </div>
      <button type="submit" className="btn btn-primary">
        {t('password.submit')}
      </button>
    </form>
  );
}

export function PasswordPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('password.title')}>
      <PasswordForm />
    </Page>
  );
}

/** Shown instead of every page while the password was set by someone else (the API refuses everything else
 * with 403 password_change_required): explains why, asks the received password and a new one, or signs out. */
export function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { session, signOut } = useSessionState();
  const navigate = useNavigate();
  return (
    <Page title={t('password.forcedTitle')}>
      <div className="alert alert-warning" role="note" style={{ maxWidth: '32rem' }}>
        <p className="mb-1">{t('password.forcedIntro')}</p>
        <p className="mb-0">{t('password.forcedCurrent')}</p>
      </div>
      <PasswordForm
        onChanged={async () => {
          await session?.reloadMe();
          navigate('/');
        }}
      />
      <button type="button" className="btn btn-link px-0 mt-3" onClick={() => void signOut()}>
        {t('password.signOut')}
      </button>
    </Page>
  );
}
