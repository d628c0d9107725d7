// The OIV's notes (rilievi) where they belong: beside an assessment, on the review screen, on a measure. A badge
// counts them; the RPCT and the OIV read them; the OIV writes a new one right there, for that leaf or measure.
// Who may not read the notes (a director, a referente) sees nothing.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { formatDateTime } from '../lib/format';
import { useApi } from '../lib/useApi';
import { ErrorAlert } from './Feedback';
import { ProblemAlert, TextArea, useDraftForm, type FieldErrors } from './FormKit';

export interface OivNote {
  id: string;
  target_kind: 'cycle' | 'node' | 'measure';
  target: string;
  body: string;
  author_id?: string;
  author_name?: string;
  author_full_name?: string;
  created_at?: string;
}

export const maxNoteLength = 20000;

/** The notes on one target: a leaf (kind node, its code) or a measure (its id). */
export function OivNotes({ cycle, kind, target, label }: { cycle: string; kind: 'node' | 'measure'; target: string; label: string }) {
  const { t } = useTranslation('common');
  const s = useSession();
  const canRead = s.can('oiv_note', 'read');
  const canWrite = s.can('oiv_note', 'write');
  const notes = useApi(
    (signal) =>
      canRead && cycle && target
        ? api.call<{ items: OivNote[] }>('GET /api/v1/cycles/:cycle/oiv-notes', { params: { cycle }, query: { target_kind: kind, target }, signal }).then((r) => r.items)
        : Promise.resolve([] as OivNote[]),
    [cycle, kind, target, canRead],
  );
  const [open, setOpen] = useState(false);
  const id = `oiv-notes-${kind}-${target.replace(/[^\w-]/g, '_')}`;
  const { draft, set, errors, failure, busy, saved, form, submit, setDraft } = useDraftForm<{ body: string }, OivNote>(() => ({ body: '' }), {
    ns: 'common',
    validate: (d): FieldErrors => (!d.body.trim() ? { body: t('oivNotes.required') } : d.body.trim().length > maxNoteLength ? { body: t('oivNotes.tooLong') } : {}),
    send: (d) => api.call<OivNote>('POST /api/v1/cycles/:cycle/oiv-notes', { params: { cycle }, body: { target_kind: kind, target, body: d.body.trim() } }),
    fieldOf: (p) => (p === 'body' ? 'body' : undefined),
    savedMessage: t('oivNotes.saved'),
    onDone: (n) => {
      notes.setData([...(notes.data ?? []), n]);
      setDraft({ body: '' });
    },
  });
  if (!canRead) return null;
  const items = notes.data ?? [];
  return (
    <section className="oiv-notes mt-3" aria-labelledby={`${id}-title`} data-testid="oiv-notes-panel">
      <h3 id={`${id}-title`} className="h6 d-flex align-items-center gap-2">
        <button type="button" className="btn btn-sm btn-outline-primary" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {t('oivNotes.title')}{' '}
          <span className="badge bg-primary" data-testid="oiv-notes-count" aria-label={t('oivNotes.count', { count: items.length })}>
            {items.length}
          </span>
          <span className="visually-hidden"> {label}</span>
        </button>
      </h3>
      {/* The notes and the form are rendered only when opened: a page stays free of forms for who only looks. */}
      <div id={id} hidden={!open}>
        {open && (
          <>
        <ErrorAlert error={notes.error} onRetry={notes.reload} />
        {notes.data && items.length === 0 && <p>{t('oivNotes.none')}</p>}
        {items.length > 0 && (
          <ol className="list-unstyled" data-testid="oiv-notes-list">
            {items.map((n) => (
              <li key={n.id} className="border-start border-3 ps-2 mb-2">
                <p className="small text-muted mb-1">{t('oivNotes.by', { name: n.author_full_name || n.author_name || '—', when: formatDateTime(n.created_at) })}</p>
                <p className="mb-0 text-prewrap">{n.body}</p>
              </li>
            ))}
          </ol>
        )}
        {canWrite && (
          <form ref={form} onSubmit={submit} noValidate aria-label={t('oivNotes.formLabel', { what: label })} data-testid="oiv-note-form">
            <TextArea id={`${id}-body`} label={t('oivNotes.body')} hint={t('oivNotes.bodyHint', { what: label })} value={draft.body} onChange={(v) => set({ body: v })} error={errors.body} required />
            <button type="submit" className="btn btn-sm btn-primary" disabled={busy}>
              {busy ? t('status.saving') : t('oivNotes.add')}
            </button>
            {saved && (
              <p className="text-success mt-1" role="status">
                {t('oivNotes.saved')}
              </p>
            )}
            <ProblemAlert error={failure} ns="common" />
          </form>
        )}
          </>
        )}
      </div>
    </section>
  );
}
