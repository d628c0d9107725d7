// Adoption (the Giunta's deliberation freezes the register into a snapshot) and publication (where and when the
// adopted plan went online). Both are irreversible: each asks for confirmation after the form validates.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import { announce } from '../../lib/announce';
import { formatDate } from '../../lib/format';
import { apiFieldErrors, ConfirmDialog, focusFirstInvalid, isIsoDate, ProblemAlert, TextField, today, type FieldErrors } from '../../components/FormKit';

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

/**
 * The flow of an irreversible step: the form validates, a dialog confirms, then the request; a 422's field errors go
 * next to the fields, any other failure under the form, and a 409 (the cycle moved on) reloads the cycle.
 */
function useConfirmedStep({ validate, send, done, onChanged }: { validate: () => FieldErrors; send: () => Promise<unknown>; done: string; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  // the messages of validateAdoption's and validatePublication's codes
  const messages = (codes: FieldErrors): FieldErrors =>
    Object.fromEntries(
      Object.entries(codes).map(([k, c]) => [k, c === 'required' ? t('fieldErrors.required') : c === 'url_invalid' ? t('fieldErrors.url_invalid') : t('fieldErrors.date_invalid')]),
    );

  function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const v = validate();
    setErrors(messages(v));
    if (Object.keys(v).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setConfirming(true);
  }

  async function confirm() {
    setBusy(true);
    try {
      await send();
      setConfirming(false);
      announce(done);
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

  return { form, errors, failure, submit, confirming, busy, confirm: () => void confirm(), cancel: () => setConfirming(false) };
}

/** A section with the form of an irreversible step, its failure and its confirmation dialog. */
function StepSection({
  id,
  title,
  intro,
  submitLabel,
  step,
  dialog,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  submitLabel: string;
  step: ReturnType<typeof useConfirmedStep>;
  dialog: { id: string; title: string; confirmLabel: string; body: ReactNode };
  children: ReactNode;
}) {
  const { t } = useTranslation('cycles');
  return (
    <section aria-labelledby={`${id}-title`} className="cycle-section">
      <h2 id={`${id}-title`} className="h4">
        {title}
      </h2>
      <p>{intro}</p>
      <form ref={step.form} onSubmit={step.submit} noValidate aria-labelledby={`${id}-title`}>
        <p className="small">{t('form.requiredNote')}</p>
        {children}
        <button type="submit" className="btn btn-primary">
          {submitLabel}
        </button>
      </form>
      <ProblemAlert error={step.failure} ns="cycles" />
      <ConfirmDialog id={dialog.id} open={step.confirming} title={dialog.title} confirmLabel={dialog.confirmLabel} onConfirm={step.confirm} onCancel={step.cancel} busy={step.busy}>
        {dialog.body}
      </ConfirmDialog>
    </section>
  );
}

export function AdoptionSection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [number, setNumber] = useState('');
  const [date, setDate] = useState(today());
  const step = useConfirmedStep({
    validate: () => validateAdoption(number, date),
    send: () =>
      api.call<Cycle>('POST /api/v1/cycles/:cycle/adopt', {
        params: { cycle: cycle.code },
        body: { deliberation_number: number.trim(), deliberation_date: date },
      }),
    done: t('adoption.done', { code: cycle.code }),
    onChanged,
  });

  return (
    <StepSection
      id="adoption"
      title={t('adoption.title')}
      intro={t('adoption.intro')}
      submitLabel={t('adoption.submit')}
      step={step}
      dialog={{
        id: 'adopt-dialog',
        title: t('adoption.confirmTitle', { code: cycle.code }),
        confirmLabel: t('adoption.confirm'),
        body: (
          <>
            <p>{t('adoption.confirmBody', { number: number.trim(), date: formatDate(date) })}</p>
            <p className="mb-0">{t('adoption.confirmIrreversible')}</p>
          </>
        ),
      }}
    >
      <div className="row">
        <div className="col-md-6">
          <TextField id="adoption-number" label={t('adoption.number')} value={number} onChange={setNumber} error={step.errors.deliberation_number} hint={t('adoption.numberHint')} required />
        </div>
        <div className="col-md-6">
          <TextField id="adoption-date" label={t('adoption.date')} type="date" value={date} onChange={setDate} error={step.errors.deliberation_date} required />
        </div>
      </div>
    </StepSection>
  );
}

export function PublicationSection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [url, setUrl] = useState('https://');
  const [date, setDate] = useState(today());
  const step = useConfirmedStep({
    validate: () => validatePublication(url === 'https://' ? '' : url, date),
    send: () => api.call<Cycle>('POST /api/v1/cycles/:cycle/publish', { params: { cycle: cycle.code }, body: { url: url.trim(), date } }),
    done: t('publication.done', { code: cycle.code }),
    onChanged,
  });

  return (
    <StepSection
      id="publication"
      title={t('publication.title')}
      intro={t('publication.intro')}
      submitLabel={t('publication.submit')}
      step={step}
      dialog={{
        id: 'publish-dialog',
        title: t('publication.confirmTitle', { code: cycle.code }),
        confirmLabel: t('publication.confirm'),
        body: <p>{t('publication.confirmBody', { url: url.trim(), date: formatDate(date) })}</p>,
      }}
    >
      <TextField
        id="publication-url"
        label={t('publication.url')}
        type="url"
        inputMode="url"
        value={url}
        onChange={setUrl}
        error={step.errors.url}
        hint={t('publication.urlHint')}
        required
      />
      <TextField id="publication-date" label={t('publication.date')} type="date" value={date} onChange={setDate} error={step.errors.date} required className="cycle-date-field" />
    </StepSection>
  );
}
