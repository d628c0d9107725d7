// The review thread of an assessment as a timeline, oldest first (submissions, returns with the RPCT's
// observations, approvals, reopenings, free comments), and a field to add a comment for who may.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Comment } from '../../api/schema.gen';
import { errorMessage } from '../../components/Feedback';
import { FieldError } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { MAX_COMMENT_LENGTH, validateComment } from './comment';

const kindClass: Record<string, string> = {
  return: 'review-tl-return',
  approve: 'review-tl-approve',
  submit: 'review-tl-submit',
  reopen: 'review-tl-reopen',
  comment: 'review-tl-comment',
};

export function CommentThread({ comments, canComment, cycle, code, onAdded }: { comments: Comment[]; canComment: boolean; cycle: string; code: string; onAdded: (c: Comment) => void }) {
  const { t } = useTranslation('review');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = validateComment(text, false);
    if (!text.trim()) {
      setProblem(t('thread.empty'));
      return;
    }
    if (v === 'tooLong') {
      setProblem(t('comment.tooLong', { max: MAX_COMMENT_LENGTH.toLocaleString('it-IT') }));
      return;
    }
    setProblem('');
    setBusy(true);
    setError(null);
    try {
      const c = await api.call<Comment>('POST /api/v1/cycles/:cycle/nodes/:code/assessment/comments', { params: { cycle, code }, body: { body: text.trim() } });
      onAdded(c);
      setText('');
      announce(t('thread.added'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {comments.length === 0 ? (
        <p>{t('thread.none')}</p>
      ) : (
        <ol className="review-timeline" aria-label={t('thread.label')}>
          {comments.map((c) => (
            <li key={c.id} className={kindClass[c.kind ?? 'comment'] ?? ''}>
              <p className="mb-1">
                <strong>{t(`thread.kinds.${c.kind ?? 'comment'}`, { defaultValue: c.kind ?? '' })}</strong>
                {' · '}
                <span>{c.author_full_name || c.author_name}</span>
                {' · '}
                <time dateTime={c.created_at}>{formatDateTime(c.created_at)}</time>
              </p>
              {c.body && <p className="mb-0 text-prewrap">{c.body}</p>}
            </li>
          ))}
        </ol>
      )}
      {canComment && (
        <form onSubmit={submit} noValidate className="mt-3">
          {error ? (
            <div className="alert alert-danger" role="alert">
              {errorMessage(t, error)}
            </div>
          ) : null}
          <div className="form-group mb-2">
            <label htmlFor="thread-comment" className="active review-label">
              {t('thread.newLabel')}
            </label>
            <textarea
              id="thread-comment"
              className={`form-control${problem ? ' is-invalid' : ''}`}
              rows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'thread-comment-error' : undefined}
            />
            <FieldError id="thread-comment" error={problem} />
          </div>
          <button type="submit" className="btn btn-outline-primary btn-sm" disabled={busy}>
            {busy ? t('dialog.sending') : t('thread.add')}
          </button>
        </form>
      )}
    </>
  );
}
