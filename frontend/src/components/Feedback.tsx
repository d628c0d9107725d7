// Error and status display. API errors are shown by their stable code, translated in the "errors" namespace;
// field errors are listed with links to the fields when the page names them.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function errorMessage(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    // A throttled or busy answer says how long to wait: say it too, in seconds or (from a minute on) minutes.
    if (err.retryAfter && (err.code === 'too_many_attempts' || err.code === 'server_busy')) {
      const unit = err.retryAfter < 60 ? 'seconds' : 'minutes';
      return t(`errors:${err.code}_${unit}`, { count: unit === 'seconds' ? err.retryAfter : Math.ceil(err.retryAfter / 60) });
    }
    const key = `errors:${err.code}`;
    const translated = t(key);
    if (translated !== key && translated !== err.code) return translated;
    if (err.status === 404) return t('errors:http_404');
    if (err.status >= 500) return t('errors:internal_error');
    return t('errors:generic');
  }
  return t('errors:generic');
}

export function ErrorAlert({ error, onRetry, fieldLabel }: { error: unknown; onRetry?: () => void; fieldLabel?: (field: string) => string | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  const requestId = error instanceof ApiError ? error.problem.request_id : undefined;
  return (
    <div className="alert alert-danger" role="alert">
      <p className="mb-1 fw-semibold">{errorMessage(t, error)}</p>
      {fields.length > 0 && (
        <>
          <p className="mb-1">{t('errors.summary')}</p>
          <ul className="mb-1">
            {fields.map((f, i) => (
              <li key={i}>
                {f.field && <strong>{fieldLabel?.(f.field) ?? f.field}: </strong>}
                {t(`fieldErrors:${f.code}`, { defaultValue: f.message })}
              </li>
            ))}
          </ul>
        </>
      )}
      {requestId && <p className="small mb-1">{t('errors.requestId', { id: requestId })}</p>}
      {onRetry && (
        <button type="button" className="btn btn-sm btn-outline-danger" onClick={onRetry}>
          {t('actions.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="d-flex align-items-center gap-2 my-3" role="status">
      <div className="progress-spinner progress-spinner-active size-sm" aria-hidden="true" />
      <span>{t('status.loading')}</span>
    </div>
  );
}
