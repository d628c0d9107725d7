// Small form kit shared by the screens: labelled fields with their hint and error linked by aria-describedby,
// the API's field errors mapped to Italian, and a confirmation dialog for irreversible steps.
import type { TFunction } from 'i18next';
import { useRef, useState, type FormEvent, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { announce } from '../lib/announce';
import { errorMessage } from './Feedback';
import { Dialog } from './Modal';
import './FormKit.css';

export type FieldErrors = Record<string, string>;

/** Message of an API error: the feature's own wording for codes errors.json lacks, else the shared one. */
export function problemMessage(t: TFunction, err: unknown, ns: string): string {
  if (err instanceof ApiError) {
    const own = t(`${ns}:problems.${err.code}`, { defaultValue: '' });
    if (own) return own;
  }
  return errorMessage(t, err);
}

/** The failure of a form's request that belongs to no field, announced; nothing while there is none. */
export function ProblemAlert({ error, ns }: { error: unknown; ns: string }) {
  const { t } = useTranslation(ns);
  if (error === null) return null;
  return (
    <p className="text-danger mt-2" role="alert">
      {problemMessage(t, error, ns)}
    </p>
  );
}

/**
 * The field errors of a 422 as Italian messages keyed by the form's field names. `fieldOf` maps the API's
 * path (e.g. "grants[0].unit") to a field of the form; unmapped paths are dropped (the caller shows the
 * problem's summary instead). Messages come from `<ns>:fieldErrors.<code>`, else a generic text.
 */
export function apiFieldErrors(t: TFunction, err: unknown, ns: string, fieldOf: (path: string) => string | undefined = (p) => p): FieldErrors {
  const out: FieldErrors = {};
  if (!(err instanceof ApiError)) return out;
  for (const fe of err.fieldErrors) {
    const field = fe.field ? fieldOf(fe.field) : undefined;
    if (!field) continue;
    const text = t(`${ns}:fieldErrors.${fe.code}`, { defaultValue: '' }) || t('cycles:fieldErrors.invalid');
    out[field] = out[field] ? `${out[field]} ${text}` : text;
  }
  return out;
}

/**
 * The life of a form that edits a draft and sends it: local checks first (their messages keyed by field), then the
 * request; a 422's field errors land on the fields (focus moves to the first), any other failure on `failure`;
 * success is announced. The caller renders `draft`, `errors`, `failure`, `busy`, `saved` and wires `form`/`submit`.
 */
export function useDraftForm<D, R>(
  initial: () => D,
  opts: {
    ns: string;
    validate: (draft: D) => FieldErrors;
    send: (draft: D) => Promise<R>;
    fieldOf: (path: string) => string | undefined;
    savedMessage: string;
    onDone: (result: R) => void;
  },
) {
  const { t } = useTranslation(opts.ns);
  const [draft, setDraft] = useState<D>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    setSaved(false);
    const problems = opts.validate(draft);
    if (Object.keys(problems).length) {
      setErrors(problems);
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await opts.send(draft);
      setSaved(true);
      announce(opts.savedMessage);
      opts.onDone(result);
    } catch (err) {
      const fe = apiFieldErrors(t, err, opts.ns, opts.fieldOf);
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  return { draft, setDraft, set, errors, failure, busy, saved, form, submit };
}

/**
 * Moves focus to the first invalid field of a form (after the error state has rendered). A radio group carries
 * aria-invalid on its role="radiogroup" container (a radio may not): focus goes to its checked option, else its first.
 */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  window.setTimeout(() => {
    const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (el?.getAttribute('role') === 'radiogroup') (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input'))?.focus();
    else el?.focus();
  }, 0);
}

/** The error of field `id`, announced, with the id (`<id>-error`) its field names in aria-describedby; nothing without an error. */
export function FieldError({ id, error }: { id: string; error?: ReactNode }) {
  if (!error) return null;
  return (
    <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">
      {error}
    </div>
  );
}

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  className?: string;
}

function Shell({ id, label, hint, error, required, className, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={`form-group argine-field ${className ?? ''}`}>
      <label htmlFor={id} className="active form-label">
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children}
      {hint && (
        <small id={`${id}-hint`} className="form-text d-block">
          {hint}
        </small>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    value: string;
    onChange: (v: string) => void;
    type?: string;
    autoComplete?: string;
    inputRef?: Ref<HTMLInputElement>;
    list?: string;
    placeholder?: string;
    inputMode?: 'text' | 'url' | 'email';
    spellCheck?: boolean;
  },
) {
  const { id, value, onChange, type = 'text', autoComplete, inputRef, list, error, hint, required, placeholder, inputMode, spellCheck } = props;
  return (
    <Shell {...props}>
      <input
        id={id}
        ref={inputRef}
        type={type}
        className={`form-control${error ? ' is-invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={autoComplete}
        list={list}
        placeholder={placeholder}
        inputMode={inputMode}
        spellCheck={spellCheck}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Shell>
  );
}

export function TextArea(props: FieldProps & { value: string; onChange: (v: string) => void; rows?: number }) {
  const { id, value, onChange, rows = 3, error, hint, required } = props;
  return (
    <Shell {...props}>
      <textarea
        id={id}
        className={`form-control${error ? ' is-invalid' : ''}`}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Shell>
  );
}

export function SelectField(props: FieldProps & { value: string; onChange: (v: string) => void; children: ReactNode }) {
  const { id, value, onChange, error, hint, required, children } = props;
  return (
    <Shell {...props}>
      <select
        id={id}
        className={`form-select${error ? ' is-invalid' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {children}
      </select>
    </Shell>
  );
}

/** A checkbox with its label (and hint) on the right, as Bootstrap Italia draws them. */
export function CheckboxField(props: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode; disabled?: boolean }) {
  const { id, label, checked, onChange, hint, disabled } = props;
  return (
    <div className="form-check argine-field">
      <input
        id={id}
        type="checkbox"
        className="form-check-input"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id} className="form-check-label">
        {label}
      </label>
      {hint && (
        <small id={`${id}-hint`} className="form-text d-block">
          {hint}
        </small>
      )}
    </div>
  );
}

/**
 * A choice of several codes from a list (e.g. the enabling factors a measure addresses): a fieldset of checkboxes
 * with the list's labels, its hint and error linked to the group. Codes not in the options (no longer in the
 * catalogue) are listed too, so they can be unchecked. `marked` codes get `markLabel` beside them (a suggestion).
 */
export function CheckboxGroup(props: {
  id: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  values: string[];
  onChange: (v: string[]) => void;
  hint?: ReactNode;
  error?: string;
  marked?: string[];
  markLabel?: string;
}) {
  const { id, legend, options, values, onChange, hint, error, marked = [], markLabel } = props;
  const known = new Set(options.map((o) => o.value));
  const all = [...options, ...values.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
  return (
    <fieldset id={id} className="argine-field mb-3" aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)}>
      <legend className="h6">{legend}</legend>
      {hint && (
        <small id={`${id}-hint`} className="form-text d-block mb-1">
          {hint}
        </small>
      )}
      {all.map((o) => {
        const oid = `${id}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        return (
          <div className="form-check my-1" key={o.value}>
            <input
              id={oid}
              type="checkbox"
              className="form-check-input"
              checked={values.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))}
            />
            <label htmlFor={oid} className="form-check-label">
              {o.label}
              {markLabel && marked.includes(o.value) && <span className="badge bg-light text-dark border ms-2">{markLabel}</span>}
            </label>
          </div>
        );
      })}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

/** A confirmation for an irreversible or destructive step: says what happens, then asks. */
export function ConfirmDialog({
  id,
  open,
  title,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  danger,
  children,
}: {
  id: string;
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      id={id}
      title={title}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="btn btn-outline-secondary" onClick={onCancel} disabled={busy}>
            {t('common:actions.cancel')}
          </button>
          <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={onConfirm} disabled={busy} data-testid={`${id}-confirm`}>
            {busy ? t('common:status.saving') : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

/** Today as YYYY-MM-DD in the local calendar (the default of date fields). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(s).getTime());
