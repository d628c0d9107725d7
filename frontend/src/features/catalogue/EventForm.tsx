// The RPCT's form of a risk event, in a dialog: a new event, or an edit at the version read. A version conflict
// keeps what was typed, shows the values saved meanwhile and lets the RPCT save theirs on the current version or
// take the saved ones.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { RefItem, RiskEvent } from '../../api/schema.gen';
import { Dialog } from '../../components/Modal';
import { FieldError, focusFirstInvalid, ProblemAlert, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { eventBody, eventFormOf, minEventDescription, problemsOfApi, validateEventForm, type EventForm as Form, type Problems } from './catalogueRules';

const emptyForm: Form = { code: '', description: '', areas: [], source: 'ENTE', validated: true };

export function useProblemText() {
  const { t } = useTranslation('catalogue');
  return (p: Problems): FieldErrors => Object.fromEntries(Object.entries(p).map(([k, code]) => [k, t(`fieldErrors.${code}`, { defaultValue: t('fieldErrors.invalid') })]));
}

export function areaLabel(code: string, areas: RefItem[]): string {
  const title = areas.find((a) => a.code === code)?.title;
  return title ? `${code} – ${title}` : code;
}

/** The areas as a fieldset of checkboxes: its error is named on every box and announced. */
function AreasField({ areas, value, onChange, error }: { areas: RefItem[]; value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const { t } = useTranslation('catalogue');
  const toggle = (code: string, on: boolean) => onChange(on ? [...value, code].filter((c, i, all) => all.indexOf(c) === i) : value.filter((c) => c !== code));
  const describedBy = ['event-areas-hint', error ? 'event-areas-error' : ''].filter(Boolean).join(' ');
  return (
    <fieldset className="catalogue-areas argine-field" aria-describedby={describedBy}>
      <legend className="h6 mb-1">
        {t('eventForm.areas')}
        <span aria-hidden="true"> *</span>
      </legend>
      <small id="event-areas-hint" className="form-text d-block mb-2">
        {t('eventForm.areasHint')}
      </small>
      {areas.map((a) => (
        <div className="form-check my-1" key={a.code}>
          <input
            id={`event-area-${a.code}`}
            type="checkbox"
            className="form-check-input"
            checked={value.includes(a.code)}
            onChange={(e) => toggle(a.code, e.target.checked)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'event-areas-error' : undefined}
          />
          <label htmlFor={`event-area-${a.code}`} className="form-check-label">
            {areaLabel(a.code, areas)}
          </label>
        </div>
      ))}
      <FieldError id="event-areas" error={error} />
    </fieldset>
  );
}

export function EventFormDialog({
  open,
  event,
  areas,
  onClose,
  onSaved,
  reloadEvent,
}: {
  open: boolean;
  /** the event edited, as read; none for a new one */
  event: RiskEvent | null;
  areas: RefItem[];
  onClose: () => void;
  onSaved: (e: RiskEvent, created: boolean) => void;
  /** the event as stored now (after a conflict), null when it is no longer listed */
  reloadEvent: (code: string) => Promise<RiskEvent | null>;
}) {
  const { t } = useTranslation('catalogue');
  const text = useProblemText();
  const isNew = event === null;
  const [f, setF] = useState<Form>(event ? eventFormOf(event) : emptyForm);
  const [base, setBase] = useState<RiskEvent | null>(event);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState<{ current: RiskEvent | null; version: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  // Each opening starts from the event as read (or empty); a reload of the list while open changes nothing typed.
  useEffect(() => {
    if (!open) return;
    setF(event ? eventFormOf(event) : emptyForm);
    setBase(event);
    setErrors({});
    setFailure(null);
    setConflict(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, event?.code]);

  // The form is long (thirteen areas): bring the conflict, shown above the fields, into view.
  useEffect(() => {
    if (conflict) conflictRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [conflict]);

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF((x) => ({ ...x, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const p = validateEventForm(f, isNew);
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const saved = isNew
        ? await api.call<RiskEvent>('POST /api/v1/catalogue/risk-events', { body: eventBody(f) })
        : await api.call<RiskEvent>('PATCH /api/v1/catalogue/risk-events/:code', {
            params: { code: base!.code },
            body: eventBody(f, base!, conflict?.version),
          });
      setConflict(null);
      announce(t(isNew ? 'eventForm.created' : 'eventForm.saved', { code: saved.code }));
      onSaved(saved, isNew);
    } catch (err) {
      if (!isNew && err instanceof ApiError && err.code === 'version_conflict') {
        // Keep the typed values; show what is stored now; the next save applies them on the current version.
        const current = await reloadEvent(base!.code).catch(() => null);
        setConflict({ current, version: current?.version ?? err.problem.current_version ?? base!.version ?? 1 });
        return;
      }
      const fe = text(problemsOfApi(err));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  function takeCurrent() {
    if (!conflict?.current) return;
    setBase(conflict.current);
    setF(eventFormOf(conflict.current));
    setConflict(null);
    setErrors({});
  }

  const current = conflict?.current;
  return (
    <Dialog
      open={open}
      id="event-form"
      title={isNew ? t('eventForm.createTitle') : t('eventForm.editTitle', { code: event?.code ?? '' })}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-outline-secondary" onClick={onClose} disabled={busy}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" form="event-form-form" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:status.saving') : isNew ? t('eventForm.create') : conflict ? t('eventForm.saveMine') : t('eventForm.save')}
          </button>
        </>
      }
    >
      <form id="event-form-form" ref={form} onSubmit={submit} noValidate data-testid="event-form">
        <p className="small">{t('requiredNote')}</p>
        {conflict && (
          <div ref={conflictRef} className="alert alert-warning" role="alert" data-testid="event-conflict">
            <p className="fw-semibold mb-1">{t('eventForm.conflictTitle')}</p>
            {current ? (
              <>
                <p className="mb-1">{t('eventForm.conflictBody')}</p>
                <ul className="mb-2">
                  <li>
                    {t('eventForm.description')}: {current.description}
                  </li>
                  <li>
                    {t('eventForm.areas')}: {(current.risk_areas ?? []).map((a) => areaLabel(a, areas)).join('; ') || t('areaNone')}
                  </li>
                  <li>
                    {t('eventForm.source')}: {current.source || '—'}
                  </li>
                  <li>
                    {t('events.status')}: {current.to_validate ? t('events.toValidate') : t('events.validated')}
                  </li>
                </ul>
                <button type="button" className="btn btn-sm btn-outline-secondary" onClick={takeCurrent}>
                  {t('eventForm.useCurrent')}
                </button>
              </>
            ) : (
              <p className="mb-0">{t('eventForm.conflictGone')}</p>
            )}
          </div>
        )}
        {isNew ? (
          <TextField
            id="event-code"
            label={t('eventForm.code')}
            value={f.code}
            onChange={set('code')}
            error={errors.code}
            hint={t('eventForm.codeHint')}
            autoComplete="off"
            spellCheck={false}
            required
          />
        ) : (
          <p>
            <strong>{t('eventForm.code')}:</strong> {event?.code}
          </p>
        )}
        <TextArea
          id="event-description"
          label={t('eventForm.description')}
          value={f.description}
          onChange={set('description')}
          error={errors.description}
          hint={t('eventForm.descriptionHint', { n: minEventDescription })}
          rows={4}
          required
        />
        <AreasField areas={areas} value={f.areas} onChange={set('areas')} error={errors.risk_areas} />
        <TextField id="event-source" label={t('eventForm.source')} value={f.source} onChange={set('source')} error={errors.source} hint={t('eventForm.sourceHint')} autoComplete="off" spellCheck={false} required />
        <div className="form-check my-3">
          <input id="event-validated" type="checkbox" className="form-check-input" checked={f.validated} onChange={(e) => set('validated')(e.target.checked)} aria-describedby="event-validated-hint" />
          <label htmlFor="event-validated" className="form-check-label">
            {t('eventForm.validated')}
          </label>
          <small id="event-validated-hint" className="form-text d-block">
            {t('eventForm.validatedHint')}
          </small>
        </div>
        <ProblemAlert error={failure} ns="catalogue" />
      </form>
    </Dialog>
  );
}
