// The reference lists of the catalogue: the eleven measure types (read-only) and the general measures with their
// legal basis and the enabling factors they address (the RPCT edits the factors).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { EnablingFactor, GeneralMeasure, MeasureType } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { apiFieldErrors, CheckboxGroup, focusFirstInvalid, ProblemAlert } from '../../components/FormKit';
import { EditCell, ListTable } from '../../components/ListTable';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { loadMeasureTypes } from '../../lib/register/data';

export function MeasureTypesSection() {
  const { t } = useTranslation('catalogue');
  const types = useApi(() => loadMeasureTypes(), []);
  const items = types.data ?? [];
  return (
    <>
      <p>{t('measureTypes.intro')}</p>
      <ErrorAlert error={types.error} onRetry={types.reload} />
      {types.loading && !types.data && <Loading />}
      {types.data && (
        <ListTable
          caption={t('measureTypes.caption')}
          columns={[t('measureTypes.code'), t('measureTypes.name'), t('measureTypes.indicator')]}
          className="catalogue-table"
          testId="measure-types-table"
          footer={items.length === 0 && <p>{t('measureTypes.empty')}</p>}
        >
          {items.map((m) => (
            <tr key={m.code}>
              <th scope="row">{m.code}</th>
              <td className="catalogue-first-upper">{m.name}</td>
              <td className="catalogue-first-upper">{m.example_indicator}</td>
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}

/** The RPCT's edit of the enabling factors a general measure addresses, at the version read. */
function FactorsForm({ measure, factors, onDone, onCancel }: { measure: GeneralMeasure; factors: EnablingFactor[]; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation('catalogue');
  const [values, setValues] = useState<string[]>(() => [...(measure.enabling_factors ?? [])]);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const code = measure.code ?? '';
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    setError(undefined);
    setBusy(true);
    try {
      await api.call<GeneralMeasure>('PUT /api/v1/catalogue/general-measures/:code/enabling-factors', {
        params: { code },
        body: { enabling_factors: values, version: measure.version ?? 1 },
      });
      announce(t('generalMeasures.saved', { code }));
      onDone();
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'catalogue', (p) => (p.startsWith('enabling_factors') ? 'enabling_factors' : p));
      if (fe.enabling_factors) {
        setError(fe.enabling_factors);
        focusFirstInvalid(form.current);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} className="border rounded p-3 mb-3" aria-labelledby={`gm-form-${code}`}>
      <h3 id={`gm-form-${code}`} className="h5">
        {t('generalMeasures.editTitle', { code, name: measure.name ?? '' })}
      </h3>
      <CheckboxGroup
        id={`gm-factors-${code}`}
        legend={t('generalMeasures.factors')}
        hint={t('generalMeasures.factorsHint')}
        options={factors.map((f) => ({ value: f.code ?? '', label: `${f.code} – ${f.description}` }))}
        values={values}
        onChange={setValues}
        error={error}
      />
      <ProblemAlert error={failure} ns="catalogue" />
      <div className="d-flex gap-2 flex-wrap">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('generalMeasures.save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('generalMeasures.cancel')}
        </button>
      </div>
    </form>
  );
}

export function GeneralMeasuresSection({ canWrite = false }: { canWrite?: boolean }) {
  const { t } = useTranslation('catalogue');
  const measures = useApi((signal) => api.call<{ items: GeneralMeasure[] }>('GET /api/v1/catalogue/general-measures', { signal }).then((r) => r.items ?? []), []);
  const factors = useApi((signal) => api.call<{ items: EnablingFactor[] }>('GET /api/v1/catalogue/enabling-factors', { signal }).then((r) => r.items ?? []), []);
  const factorName = (code: string) => factors.data?.find((f) => f.code === code)?.description;
  const [editing, setEditing] = useState<string | null>(null);
  // The type's name is a nicety: the table stands without it.
  const types = useApi(() => loadMeasureTypes().catch(() => [] as MeasureType[]), []);
  const typeName = (code?: string) => types.data?.find((m) => m.code === code)?.name;
  const items = measures.data ?? [];
  return (
    <>
      <p>{t('generalMeasures.intro')}</p>
      <ErrorAlert error={measures.error} onRetry={measures.reload} />
      {measures.loading && !measures.data && <Loading />}
      {canWrite && editing && factors.data && items.some((m) => m.code === editing) && (
        <FactorsForm
          key={editing}
          measure={items.find((m) => m.code === editing)!}
          factors={factors.data}
          onCancel={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            measures.reload();
          }}
        />
      )}
      {measures.data && (
        <ListTable
          caption={t('generalMeasures.caption')}
          columns={[
            t('generalMeasures.code'),
            t('generalMeasures.name'),
            t('generalMeasures.legalBasis'),
            t('generalMeasures.type'),
            t('generalMeasures.factors'),
            canWrite && t('generalMeasures.actions'),
          ]}
          className="catalogue-table"
          testId="general-measures-table"
          footer={items.length === 0 && <p>{t('generalMeasures.empty')}</p>}
        >
          {items.map((m) => {
            const name = typeName(m.measure_type);
            return (
              <tr key={m.code}>
                <th scope="row">{m.code}</th>
                <td>{m.name}</td>
                <td>{m.legal_basis || '—'}</td>
                <td>{m.measure_type ? (name ? `${m.measure_type} – ${name}` : m.measure_type) : '—'}</td>
                <td>
                  {m.enabling_factors?.length
                    ? m.enabling_factors.map((f) => (
                        <span key={f} className="d-block" title={factorName(f)}>
                          {factorName(f) ? `${f} – ${factorName(f)}` : f}
                        </span>
                      ))
                    : '—'}
                </td>
                {canWrite && <EditCell label={t('generalMeasures.edit')} code={m.code} onClick={() => setEditing(m.code ?? '')} disabled={!factors.data} />}
              </tr>
            );
          })}
        </ListTable>
      )}
    </>
  );
}
