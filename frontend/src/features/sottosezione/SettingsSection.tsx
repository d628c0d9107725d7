// The ente's regime: the simplified one for bodies under 50 employees, and what it waives.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { SottosezioneSettings } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { apiFieldErrors, focusFirstInvalid, TextField, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { isIsoDate } from './model';
import { SaveBar } from './PartStatus';

export function checkSettings(simplified: boolean, headcount: string, date: string): FieldErrors {
  const e: FieldErrors = {};
  const n = headcount.trim() === '' ? null : Number(headcount);
  if (n !== null && (!Number.isInteger(n) || n < 0)) e.headcount = 'number_invalid';
  else if (simplified && (n === null || n >= 50)) e.headcount = 'over_threshold';
  if ((simplified || date) && !isIsoDate(date)) e.headcount_date = 'date_invalid';
  return e;
}

export function SettingsSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const loaded = useApi((signal) => api.call<SottosezioneSettings>('GET /api/v1/sottosezione/settings', { signal }), []);
  const s = loaded.data;
  const [simplified, setSimplified] = useState(false);
  const [headcount, setHeadcount] = useState('');
  const [date, setDate] = useState('');
  const [seen, setSeen] = useState<number | undefined>(undefined);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [conflict, setConflict] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  if (s && seen !== s.version) {
    setSeen(s.version);
    setSimplified(s.simplified);
    setHeadcount(s.headcount === null || s.headcount === undefined ? '' : String(s.headcount));
    setDate(s.headcount_date);
  }
  if (loaded.loading && !s) return <Loading />;
  if (!s) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setSaved(false);
    setConflict(false);
    const local = checkSettings(simplified, headcount, date);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, c]) => [k, t(`fieldErrors.${c}`)])));
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const next = await api.call<SottosezioneSettings>('PUT /api/v1/sottosezione/settings', {
        body: { simplified, headcount: headcount.trim() === '' ? null : Number(headcount), headcount_date: date, version: s?.version ?? 0 },
      });
      loaded.setData(next);
      setSaved(true);
      announce(t('saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        setConflict(true);
        loaded.reload();
        return;
      }
      const fe = apiFieldErrors(t, err, 'sottosezione');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p>{t('settings.intro')}</p>
      {!canEdit && <p className="alert alert-info">{t('readOnly')}</p>}
      <form ref={form} noValidate onSubmit={submit}>
        <fieldset disabled={!canEdit}>
          <div className="form-check mb-3">
            <input className="form-check-input" type="checkbox" id="settings-simplified" checked={simplified} onChange={(e) => setSimplified(e.target.checked)} />
            <label className="form-check-label" htmlFor="settings-simplified">
              {t('settings.simplified')}
            </label>
          </div>
          <div className="row g-2">
            <div className="col-6 col-md-3">
              <TextField id="settings-headcount" label={t('settings.headcount')} value={headcount} onChange={setHeadcount} error={errors.headcount} required={simplified} />
            </div>
            <div className="col-6 col-md-3">
              <TextField id="settings-date" type="date" label={t('settings.headcountDate')} value={date} onChange={setDate} error={errors.headcount_date} required={simplified} />
            </div>
          </div>
        </fieldset>
        {canEdit && <SaveBar busy={busy} saved={saved} conflict={conflict} failure={failure} />}
      </form>
      <section aria-labelledby="settings-waivers" className="mt-4">
        <h2 id="settings-waivers" className="h4">
          {t('settings.waivers')}
        </h2>
        {(s.waivers ?? []).length === 0 ? (
          <p>{t('settings.none')}</p>
        ) : (
          <ul data-testid="waivers">
            {(s.waivers ?? []).map((w) => (
              <li key={w.code}>
                {w.title} <span className="small text-muted">({t('settings.basis', { basis: w.basis })})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
