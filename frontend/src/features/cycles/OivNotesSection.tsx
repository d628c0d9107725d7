// The OIV's notes (rilievi) on the cycle: the RPCT and the OIV read them, only the OIV writes them.
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, TextArea, TextField, type FieldErrors } from '../../components/FormKit';

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

type Kind = OivNote['target_kind'];

export function validateNote(kind: Kind, target: string, body: string): FieldErrors {
  const e: FieldErrors = {};
  if (kind !== 'cycle' && !target.trim()) e.target = 'required';
  if (!body.trim()) e.body = 'required';
  else if (body.trim().length > 20000) e.body = 'too_long';
  return e;
}

export function OivNotesSection({ cycle, canWrite }: { cycle: Cycle; canWrite: boolean }) {
  const { t } = useTranslation('cycles');
  const notes = useApi(
    (signal) => api.call<{ items: OivNote[] }>('GET /api/v1/cycles/:cycle/oiv-notes', { params: { cycle: cycle.code }, signal }).then((r) => r.items),
    [cycle.code],
  );
  const [kind, setKind] = useState<Kind>('cycle');
  const [target, setTarget] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const kindLabel = (k: Kind) => (k === 'cycle' ? t('notes.kindCycle') : k === 'node' ? t('notes.kindNode') : t('notes.kindMeasure'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    setFailure(null);
    const v = validateNote(kind, target, body);
    const msg: FieldErrors = Object.fromEntries(Object.entries(v).map(([k, c]) => [k, c === 'too_long' ? t('fieldErrors.too_long') : t('fieldErrors.required')]));
    setErrors(msg);
    if (Object.keys(msg).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const n = await api.call<OivNote>('POST /api/v1/cycles/:cycle/oiv-notes', {
        params: { cycle: cycle.code },
        body: { target_kind: kind, target: kind === 'cycle' ? cycle.code : target.trim(), body: body.trim() },
      });
      notes.setData([...(notes.data ?? []), n]);
      setBody('');
      setTarget('');
      setDone(true);
      announce(t('notes.done'));
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'cycles', (p) => (p === 'body' || p === 'target' ? p : p === 'target_kind' ? 'target' : undefined));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
      if (err instanceof ApiError && err.status === 404) notes.reload();
    } finally {
      setBusy(false);
    }
  }

  const items = notes.data ?? [];
  return (
    <section aria-labelledby="notes-title" className="cycle-section">
      <h2 id="notes-title" className="h4">
        {t('notes.title')}
      </h2>
      {notes.loading && !notes.data && <Loading />}
      <ErrorAlert error={notes.error} onRetry={notes.reload} />
      {notes.data && items.length === 0 && <p>{t('notes.empty')}</p>}
      {items.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table table-sm" data-testid="oiv-notes">
            <caption>{t('notes.caption', { n: items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notes.colWhen')}</th>
                <th scope="col">{t('notes.colAuthor')}</th>
                <th scope="col">{t('notes.colTarget')}</th>
                <th scope="col">{t('notes.colBody')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id}>
                  <td className="text-nowrap">{formatDateTime(n.created_at)}</td>
                  <td>{n.author_full_name || n.author_name}</td>
                  <td>
                    {n.target_kind === 'cycle' && t('notes.targetCycle', { code: n.target })}
                    {n.target_kind === 'node' && <Link to={`/valutazioni/${encodeURIComponent(n.target)}`}>{t('notes.targetNode', { code: n.target })}</Link>}
                    {n.target_kind === 'measure' && t('notes.targetMeasure', { id: n.target })}
                  </td>
                  <td className="note-body">{n.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <form ref={form} onSubmit={submit} noValidate aria-labelledby="notes-form-title" className="mt-3">
          <h3 id="notes-form-title" className="h6 fw-semibold">
            {t('notes.formTitle')}
          </h3>
          <p className="small">{t('form.requiredNote')}</p>
          <fieldset className="mb-3">
            <legend className="form-label fs-6 fw-normal">{t('notes.kind')}</legend>
            {(['cycle', 'node', 'measure'] as const).map((k) => (
              <div className="form-check form-check-inline" key={k}>
                <input className="form-check-input" type="radio" name="note-kind" id={`note-kind-${k}`} checked={kind === k} onChange={() => setKind(k)} />
                <label className="form-check-label" htmlFor={`note-kind-${k}`}>
                  {kindLabel(k)}
                </label>
              </div>
            ))}
          </fieldset>
          {kind !== 'cycle' && (
            <TextField
              id="note-target"
              label={kind === 'node' ? t('notes.targetNodeLabel') : t('notes.targetMeasureLabel')}
              value={target}
              onChange={setTarget}
              error={errors.target}
              hint={kind === 'node' ? t('notes.targetNodeHint') : t('notes.targetMeasureHint')}
              spellCheck={false}
              required
            />
          )}
          <TextArea id="note-body" label={t('notes.body')} value={body} onChange={setBody} error={errors.body} rows={4} required />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:status.saving') : t('notes.submit')}
          </button>
          <ProblemAlert error={failure} ns="cycles" />
          {done && (
            <div className="alert alert-success mt-2" role="status">
              {t('notes.done')}
            </div>
          )}
        </form>
      )}
    </section>
  );
}
