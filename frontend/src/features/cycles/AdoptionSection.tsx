// Adoption (the Giunta's deliberation freezes the register into a snapshot) and publication (where and when the
// adopted plan went online). Both are irreversible: each asks for confirmation after the form validates.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import { announce } from '../../lib/announce';
import { formatDate } from '../../lib/format';
import { apiFieldErrors, ConfirmDialog, focusFirstInvalid, isIsoDate, problemMessage, TextField, today, type FieldErrors } from './formkit';

export function validateAdoption(number: string, date: string): FieldErrors {
  const e: FieldErrors = {};
  if (!number.trim()) e.deliberation_number = 'required';
  if (!date) e.deliberation_date = 'required';
  else if (!isIsoDate(date)) e.deliberation_date = 'date_invalid';
  return e;
}

export function validatePublication(url: string, date: string): FieldErrors {
  const e: FieldErrors = {};
  if (!url.trim()) e.url = 'required';
  else if (!/^https?:\/\/\S+\.\S+/.test(url.trim())) e.url = 'url_invalid';
  if (!date) e.date = 'required';
  else if (!isIsoDate(date)) e.date = 'date_invalid';
  return e;
}

export function AdoptionSection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [number, setNumber] = useState('');
  const [date, setDate] = useState(today());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const messages = (codes: FieldErrors): FieldErrors =>
    Object.fromEntries(Object.entries(codes).map(([k, c]) => [k, c === 'required' ? t('fieldErrors.required') : t('fieldErrors.date_invalid')]));

  function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const v = validateAdoption(number, date);
    setErrors(messages(v));
    if (Object.keys(v).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setConfirming(true);
  }

  async function adopt() {
    setBusy(true);
    try {
      await api.call<Cycle>('POST /api/v1/cycles/:cycle/adopt', {
        params: { cycle: cycle.code },
        body: { deliberation_number: number.trim(), deliberation_date: date },
      });
      setConfirming(false);
      announce(t('adoption.done', { code: cycle.code }));
      await onChanged();
    } catch (err) {
      setConfirming(false);
      const fe = apiFieldErrors(t, err, 'cycles');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else {
        setFailure(err);
        if (err instanceof ApiError && err.status === 409) await onChanged();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="adoption-title" className="cycle-section">
      <h2 id="adoption-title" className="h4">
        {t('adoption.title')}
      </h2>
      <p>{t('adoption.intro')}</p>
      <form ref={form} onSubmit={submit} noValidate aria-labelledby="adoption-title">
        <p className="small">{t('form.requiredNote')}</p>
        <div className="row">
          <div className="col-md-6">
            <TextField id="adoption-number" label={t('adoption.number')} value={number} onChange={setNumber} error={errors.deliberation_number} hint={t('adoption.numberHint')} required />
          </div>
          <div className="col-md-6">
            <TextField id="adoption-date" label={t('adoption.date')} type="date" value={date} onChange={setDate} error={errors.deliberation_date} required />
          </div>
        </div>
        <button type="submit" className="btn btn-primary">
          {t('adoption.submit')}
        </button>
      </form>
      {failure !== null && (
        <p className="text-danger mt-2" role="alert">
          {problemMessage(t, failure, 'cycles')}
        </p>
      )}
      <ConfirmDialog
        id="adopt-dialog"
        open={confirming}
        title={t('adoption.confirmTitle', { code: cycle.code })}
        confirmLabel={t('adoption.confirm')}
        onConfirm={() => void adopt()}
        onCancel={() => setConfirming(false)}
        busy={busy}
      >
        <p>{t('adoption.confirmBody', { number: number.trim(), date: formatDate(date) })}</p>
        <p className="mb-0">{t('adoption.confirmIrreversible')}</p>
      </ConfirmDialog>
    </section>
  );
}

export function PublicationSection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [url, setUrl] = useState('https://');
  const [date, setDate] = useState(today());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const messages = (codes: FieldErrors): FieldErrors =>
    Object.fromEntries(
      Object.entries(codes).map(([k, c]) => [k, c === 'required' ? t('fieldErrors.required') : c === 'url_invalid' ? t('fieldErrors.url_invalid') : t('fieldErrors.date_invalid')]),
    );

  function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const v = validatePublication(url === 'https://' ? '' : url, date);
    setErrors(messages(v));
    if (Object.keys(v).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setConfirming(true);
  }

  async function publish() {
    setBusy(true);
    try {
      await api.call<Cycle>('POST /api/v1/cycles/:cycle/publish', { params: { cycle: cycle.code }, body: { url: url.trim(), date } });
      setConfirming(false);
      announce(t('publication.done', { code: cycle.code }));
      await onChanged();
    } catch (err) {
      setConfirming(false);
      const fe = apiFieldErrors(t, err, 'cycles');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else {
        setFailure(err);
        if (err instanceof ApiError && err.status === 409) await onChanged();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="publication-title" className="cycle-section">
      <h2 id="publication-title" className="h4">
        {t('publication.title')}
      </h2>
      <p>{t('publication.intro')}</p>
      <form ref={form} onSubmit={submit} noValidate aria-labelledby="publication-title">
        <p className="small">{t('form.requiredNote')}</p>
        <TextField
          id="publication-url"
          label={t('publication.url')}
          type="url"
          inputMode="url"
          value={url}
          onChange={setUrl}
          error={errors.url}
          hint={t('publication.urlHint')}
          required
        />
        <TextField id="publication-date" label={t('publication.date')} type="date" value={date} onChange={setDate} error={errors.date} required className="cycle-date-field" />
        <button type="submit" className="btn btn-primary">
          {t('publication.submit')}
        </button>
      </form>
      {failure !== null && (
        <p className="text-danger mt-2" role="alert">
          {problemMessage(t, failure, 'cycles')}
        </p>
      )}
      <ConfirmDialog
        id="publish-dialog"
        open={confirming}
        title={t('publication.confirmTitle', { code: cycle.code })}
        confirmLabel={t('publication.confirm')}
        onConfirm={() => void publish()}
        onCancel={() => setConfirming(false)}
        busy={busy}
      >
        <p>{t('publication.confirmBody', { url: url.trim(), date: formatDate(date) })}</p>
      </ConfirmDialog>
    </section>
  );
}
