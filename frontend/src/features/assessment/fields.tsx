// Labelled form controls with their hint and inline errors (linked by aria-describedby). Each control
// reads its own errors from the editor's store, so a failed save re-renders only the fields it names.
import { memo, type ReactNode } from 'react';
import { useFieldErrors, useStore } from './store';

export function errorId(id: string) {
  return `${id}-error`;
}

export function hintId(id: string) {
  return `${id}-hint`;
}

export function describedBy(...ids: Array<string | false | undefined | null>): string | undefined {
  const v = ids.filter(Boolean).join(' ');
  return v || undefined;
}

export function FieldErrors({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div id={errorId(id)} className="invalid-feedback d-block">
      {errors.join(' ')}
    </div>
  );
}

/** Words that follow a label for screen readers only, naming which of two alike fields this is (the residual
 * judgement's, after the inherent one's); nothing when there are none. */
export function HiddenSuffix({ text }: { text: string }) {
  return text ? <span className="visually-hidden"> {text}</span> : null;
}

interface TextProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  type?: 'text' | 'date' | 'number';
  className?: string;
  inputMode?: 'numeric';
  min?: number;
  extraDescribedBy?: string;
}

/** The shared part of a control's attributes: its ARIA state and links, and a change that clears its errors. */
function useControl(id: string, { onChange, hint, required, extraDescribedBy }: { onChange: (v: string) => void; hint?: ReactNode; required?: boolean; extraDescribedBy?: string }) {
  const errors = useFieldErrors(id);
  const store = useStore();
  const invalid = errors.length > 0;
  const attributes = {
    id,
    'aria-invalid': invalid || undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy(hint ? hintId(id) : null, invalid && errorId(id), extraDescribedBy),
    onChange: (e: { target: { value: string } }) => {
      onChange(e.target.value);
      store.clearError(id);
    },
  };
  return { errors, invalid, attributes };
}

/** A control with its label above, and its hint and errors below. */
function FieldBlock({ id, label, hint, errors, className, children }: { id: string; label: ReactNode; hint?: ReactNode; errors: string[]; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `field-block mb-3 ${className}` : 'field-block mb-3'}>
      <label htmlFor={id} className="form-label field-label">
        {label}
      </label>
      {children}
      {hint && (
        <small id={hintId(id)} className="form-text d-block">
          {hint}
        </small>
      )}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

export const TextField = memo(function TextField({ id, label, value, onChange, hint, required, multiline, rows = 3, type = 'text', className, inputMode, min, extraDescribedBy }: TextProps) {
  const { errors, invalid, attributes } = useControl(id, { onChange, hint, required, extraDescribedBy });
  const common = { ...attributes, className: `form-control${invalid ? ' is-invalid' : ''}`, value };
  return (
    <FieldBlock id={id} label={label} hint={hint} errors={errors} className={className}>
      {multiline ? <textarea {...common} rows={rows} /> : <input {...common} type={type} inputMode={inputMode} min={min} />}
    </FieldBlock>
  );
});

interface SelectProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  extraDescribedBy?: string;
}

export const SelectField = memo(function SelectField({ id, label, value, onChange, children, hint, required, extraDescribedBy }: SelectProps) {
  const { errors, invalid, attributes } = useControl(id, { onChange, hint, required, extraDescribedBy });
  return (
    <FieldBlock id={id} label={label} hint={hint} errors={errors}>
      <select {...attributes} className={`form-select${invalid ? ' is-invalid' : ''}`} value={value}>
        {children}
      </select>
    </FieldBlock>
  );
});
