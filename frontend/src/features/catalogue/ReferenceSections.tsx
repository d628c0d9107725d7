// The read-only reference lists of the catalogue: the eleven measure types and the general measures with their
// legal basis.
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { GeneralMeasure, MeasureType } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
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
        <div className="table-responsive">
          <table className="table stack-table catalogue-table" data-testid="measure-types-table">
            <caption>{t('measureTypes.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('measureTypes.code')}</th>
                <th scope="col">{t('measureTypes.name')}</th>
                <th scope="col">{t('measureTypes.indicator')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.code}>
                  <th scope="row">{m.code}</th>
                  <td className="catalogue-first-upper">{m.name}</td>
                  <td className="catalogue-first-upper">{m.example_indicator}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 && <p>{t('measureTypes.empty')}</p>}
        </div>
      )}
    </>
  );
}

export function GeneralMeasuresSection() {
  const { t } = useTranslation('catalogue');
  const measures = useApi((signal) => api.call<{ items: GeneralMeasure[] }>('GET /api/v1/catalogue/general-measures', { signal }).then((r) => r.items ?? []), []);
  // The type's name is a nicety: the table stands without it.
  const types = useApi(() => loadMeasureTypes().catch(() => [] as MeasureType[]), []);
  const typeName = (code?: string) => types.data?.find((m) => m.code === code)?.name;
  const items = measures.data ?? [];
  return (
    <>
      <p>{t('generalMeasures.intro')}</p>
      <ErrorAlert error={measures.error} onRetry={measures.reload} />
      {measures.loading && !measures.data && <Loading />}
      {measures.data && (
        <div className="table-responsive">
          <table className="table stack-table catalogue-table" data-testid="general-measures-table">
            <caption>{t('generalMeasures.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('generalMeasures.code')}</th>
                <th scope="col">{t('generalMeasures.name')}</th>
                <th scope="col">{t('generalMeasures.legalBasis')}</th>
                <th scope="col">{t('generalMeasures.type')}</th>
                <th scope="col">{t('generalMeasures.factors')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => {
                const name = typeName(m.measure_type);
                return (
                  <tr key={m.code}>
                    <th scope="row">{m.code}</th>
                    <td>{m.name}</td>
                    <td>{m.legal_basis || '—'}</td>
                    <td>{m.measure_type ? (name ? `${m.measure_type} – ${name}` : m.measure_type) : '—'}</td>
                    <td>{m.enabling_factors?.length ? m.enabling_factors.join(', ') : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {items.length === 0 && <p>{t('generalMeasures.empty')}</p>}
        </div>
      )}
    </>
  );
}
