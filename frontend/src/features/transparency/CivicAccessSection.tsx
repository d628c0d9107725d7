// The civic-access register as yearly counts per kind (semplice, generalizzato, documentale): received,
// accepted, refused, pending. The RPCT keeps it; everyone who reads measures reads it.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CivicAccessCount } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, SelectField, TextField, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { accessKinds, checkAccess } from './model';

const numbers = ['received', 'accepted', 'refused', 'pending'] as const;

export function CivicAccessSection({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('transparency');
  const list = useApi((signal) => api.call<CivicAccessCount[]>('GET /api/v1/transparency/civic-access', { signal }), []);
  const [d, setD] = useState({ year: String(new Date().getFullYear() - 1), kind: 'generalizzato', received: '0', accepted: '0', refused: '0', pending: '0' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const rows = list.data ?? [];
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    const current = rows.find((r) => r.year === Number(d.year) && r.kind === d.kind);
    const body: CivicAccessCount = {
      year: Number(d.year),
      kind: d.kind as CivicAccessCount['kind'],
      received: Number(d.received),
      accepted: Number(d.accepted),
      refused: Number(d.refused),
      pending: Number(d.pending),
      version: current?.version ?? 0,
    };
    const local = checkAccess(body);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, c]) => [k, t(`fieldErrors.${c}`)])));
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      list.setData(await api.call<CivicAccessCount[]>('PUT /api/v1/transparency/civic-access', { body }));
      announce(t('saved'));
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'transparency');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  if (list.loading && !list.data) return <Loading />;
  if (list.error !== null) return <ErrorAlert error={list.error} onRetry={list.reload} />;
  return (
    <>
      {rows.length === 0 ? (
        <p>{t('access.empty')}</p>
      ) : (
        // Focusable, named region: on a phone the table scrolls sideways and has no control a keyboard could reach it by.
        <div className="table-responsive" tabIndex={0} role="region" aria-label={t('access.caption')}>
          <table className="table stack-table table-sm">
            <caption>{t('access.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('access.year')}</th>
                <th scope="col">{t('access.kind')}</th>
                {numbers.map((n) => (
                  <th scope="col" key={n}>
                    {t(`access.${n}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.year}-${r.kind}`}>
                  <th scope="row">{r.year}</th>
                  <td>{t(`access.kinds.${r.kind}`)}</td>
                  {numbers.map((n) => (
                    <td key={n}>{r[n]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <form ref={form} noValidate onSubmit={(e) => void submit(e)} className="border rounded p-3" aria-labelledby="access-form-title">
          <h3 id="access-form-title" className="h5">
            {t('access.formTitle')}
          </h3>
          <div className="row g-2">
            <div className="col-6 col-md-2">
              <TextField id="access-year" type="number" label={t('access.year')} value={d.year} onChange={(year) => setD({ ...d, year })} error={errors.year} required />
            </div>
            <div className="col-6 col-md-2">
              <SelectField id="access-kind" label={t('access.kind')} value={d.kind} onChange={(kind) => setD({ ...d, kind })} error={errors.kind}>
                {accessKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`access.kinds.${k}`)}
                  </option>
                ))}
              </SelectField>
            </div>
            {numbers.map((n) => (
              <div className="col-6 col-md-2" key={n}>
                <TextField id={`access-${n}`} type="number" label={t(`access.${n}`)} value={d[n]} onChange={(v) => setD({ ...d, [n]: v })} error={errors[n]} />
              </div>
            ))}
          </div>
          <ProblemAlert error={failure} ns="transparency" />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('save')}
          </button>
        </form>
      )}
    </>
  );
}
