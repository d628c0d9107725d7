// The dialog of a review decision: a comment (required for a return or a reopening, optional for an
// approval), checked before sending with an Italian message linked to the field. The text survives a failed
// request and a cancel (it is kept until the decision succeeds).
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/Feedback';
import { FieldError } from '../../components/FormKit';
import { Dialog } from '../../components/Modal';
import { MAX_COMMENT_LENGTH, MIN_COMMENT_LENGTH, commentLength, validateComment, type CommentProblem } from './comment';

export interface CommentDialogProps {
  id: string;
  open: boolean;
  title: string;
  intro?: ReactNode;
  label: string;
  hint?: string;
  required: boolean;
  confirmLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: (comment: string) => void;
  onClose: () => void;
  /** extra fields (e.g. the all-or-nothing option of a bulk action) */
  children?: ReactNode;
  /** bumped by the caller after a success, to empty the field */
  resetKey?: number;
}

export function CommentDialog(p: CommentDialogProps) {
  const { t } = useTranslation('review');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<CommentProblem | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setText('');
    setProblem(null);
  }, [p.resetKey]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const v = validateComment(text, p.required);
    setProblem(v);
    if (v) {
      ref.current?.focus();
      return;
    }
    p.onConfirm(text.trim());
  }

  const fieldId = `${p.id}-comment`;
  const hintId = `${fieldId}-hint`;
  const errorId = `${fieldId}-error`; // FieldError's
  const describedBy = [p.hint ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const problemText =
    problem === 'required'
      ? t('comment.required', { min: MIN_COMMENT_LENGTH })
      : problem === 'tooShort'
        ? t('comment.tooShort', { min: MIN_COMMENT_LENGTH, count: commentLength(text) })
        : problem === 'tooLong'
          ? t('comment.tooLong', { max: MAX_COMMENT_LENGTH.toLocaleString('it-IT') })
          : '';

  return (
    <Dialog
      open={p.open}
      id={p.id}
      title={p.title}
      onClose={p.busy ? () => undefined : p.onClose}
      footer={
        <>
          <button type="button" className="btn btn-outline-primary" onClick={p.onClose} disabled={p.busy}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" form={`${p.id}-form`} className="btn btn-primary" disabled={p.busy}>
            {p.busy ? t('dialog.sending') : p.confirmLabel}
          </button>
        </>
      }
    >
      <form id={`${p.id}-form`} onSubmit={submit} noValidate>
        {p.intro}
        {p.error ? (
          <div className="alert alert-danger" role="alert">
            {errorMessage(t, p.error)}
          </div>
        ) : null}
        <div className="form-group mb-3">
          <label htmlFor={fieldId} className="active review-label">
            {p.label}
            {!p.required && <span className="fw-normal"> {t('comment.optional')}</span>}
          </label>
          {p.hint && (
            <p id={hintId} className="form-text mb-1">
              {p.hint}
            </p>
          )}
          <textarea
            ref={ref}
            id={fieldId}
            className={`form-control${problem ? ' is-invalid' : ''}`}
            rows={5}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (problem) setProblem(validateComment(e.target.value, p.required));
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy}
            aria-required={p.required || undefined}
            maxLength={MAX_COMMENT_LENGTH + 100}
          />
          <FieldError id={fieldId} error={problem && problemText} />
        </div>
        {p.children}
      </form>
    </Dialog>
  );
}
