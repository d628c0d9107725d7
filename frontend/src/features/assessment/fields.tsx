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

export const TextField = memo(function TextField({ id, label, value, onChange, hint, required, multiline, rows = 3, type = 'text', className, inputMode, min, extraDescribedBy }: TextProps) {
  const errors = useFieldErrors(id);
  const store = useStore();
  const invalid = errors.length > 0;
  const common = {
    id,
    className: `form-control${invalid ? ' is-invalid' : ''}`,
    value,
    'aria-invalid': invalid || undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy(hint ? hintId(id) : null, invalid && errorId(id), extraDescribedBy),
    onChange: (e: { target: { value: string } }) => {
      onChange(e.target.value);
      store.clearError(id);
    },
  };
  return (
    <div className={`field-block mb-3 ${className ?? ''}`}>
      <label htmlFor={id} className="form-label field-label">
        {label}
      </label>
      {multiline ? <textarea {...common} rows={rows} /> : <input {...common} type={type} inputMode={inputMode} min={min} />}
      {hint && (
        <small id={hintId(id)} className="form-text d-block">
          {hint}
        </small>
      )}
      <FieldErrors id={id} errors={errors} />
    </div>
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
  const errors = useFieldErrors(id);
  const store = useStore();
  const invalid = errors.length > 0;
  return (
    <div className="field-block mb-3">
      <label htmlFor={id} className="form-label field-label">
        {label}
      </label>
      <select
        id={id}
        className={`form-select${invalid ? ' is-invalid' : ''}`}
        value={value}
        aria-invalid={invalid || undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(hint ? hintId(id) : null, invalid && errorId(id), extraDescribedBy)}
        onChange={(e) => {
          onChange(e.target.value);
          store.clearError(id);
        }}
      >
        {children}
      </select>
      {hint && (
        <small id={hintId(id)} className="form-text d-block">
          {hint}
        </small>
      )}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
});
