// The description of a process or sub-process (input, output, phases, responsibilities, timing, constraints), as
// ANAC's mapping asks (PNA 2019 All. 1 §3.2): every register reader reads it, the RPCT edits it while the cycle is
// not adopted (GET/PUT /cycles/:cycle/nodes/:code/description, versioned).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { ProcessDescription as Description } from '../../api/schema.gen';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, TextArea, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';

const fields = ['input', 'output', 'phases', 'responsibilities', 'timing', 'constraints'] as const;
type Field = (typeof fields)[number];

export function ProcessDescription({ cycle, code, canEdit }: { cycle: string; code: string; canEdit: boolean }) {
  const { t } = useTranslation('map');
  const loaded = useApi(
    (signal) => api.call<Description>('GET /api/v1/cycles/:cycle/nodes/:code/description', { params: { cycle, code }, signal }),
    [cycle, code],
  );
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<Field, string>>({ input: '', output: '', phases: '', responsibilities: '', timing: '', constraints: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const d = loaded.data;
  if (!d || typeof d !== 'object') return null;
  const empty = fields.every((f) => !d[f]);

  function start() {
    if (!d) return;
    setDraft(Object.fromEntries(fields.map((f) => [f, d[f] ?? ''])) as Record<Field, string>);
    setErrors({});
    setFailure(null);
    setEditing(true);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const next = await api.call<Description>('PUT /api/v1/cycles/:cycle/nodes/:code/description', {
        params: { cycle, code },
        body: { ...draft, version: d?.version ?? 0 },
      });
      loaded.setData(next);
      setEditing(false);
      announce(t('description.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') loaded.reload();
      const fe = apiFieldErrors(t, err, 'map', (p) => ((fields as readonly string[]).includes(p) ? p : undefined));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="process-description-title" className="mt-3" data-testid="process-description">
      <h3 id="process-description-title" className="h6 fw-semibold">
        {t('description.title')}
      </h3>
      {!editing && (
        <>
          {empty ? (
            <p className="text-muted small">{t('description.empty')}</p>
          ) : (
            <dl className="map-dl">
              {fields.map((f) => (
                <div key={f}>
                  <dt>{t(`description.${f}`)}</dt>
                  <dd className="note-body">{d[f] || <span className="text-muted">{t('detail.none')}</span>}</dd>
                </div>
              ))}
            </dl>
          )}
          {canEdit && (
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={start}>
              {t('description.edit')}
            </button>
          )}
        </>
      )}
      {editing && (
        <form ref={form} onSubmit={submit} noValidate>
          {fields.map((f) => (
            <TextArea key={f} id={`description-${f}`} label={t(`description.${f}`)} value={draft[f]} onChange={(v) => setDraft({ ...draft, [f]: v })} error={errors[f]} rows={2} />
          ))}
          <div className="d-flex gap-2">
            <button type="submit" className="btn btn-sm btn-primary" disabled={busy}>
              {t('description.save')}
            </button>
            <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => setEditing(false)}>
              {t('description.cancel')}
            </button>
          </div>
          <ProblemAlert error={failure} ns="map" />
        </form>
      )}
    </section>
  );
}
