// The documents of the cycle (GET /cycles/:cycle/exports/:file), downloaded through the authenticated client. Its
// own state, so a download in progress does not re-render the table.
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DownloadButtons } from '../../components/DownloadButtons';

export const exportFiles = [
  { file: 'registro.xlsx', key: 'xlsx' },
  { file: 'registro-excel.csv', key: 'excelCsv' },
  { file: 'registro.csv', key: 'csv' },
  { file: 'registro.json', key: 'json' },
  { file: 'registro.pdf', key: 'pdf' },
  { file: 'registro.odt', key: 'odt' },
  { file: 'registro.docx', key: 'docx' },
  { file: 'dizionario-dati.csv', key: 'dictionary' },
  { file: 'relazione-annuale.xlsx', key: 'annual' },
] as const;

// The register files follow the filters on screen (the server applies the same ones): "Esporta" writes what is shown.
const filteredFiles = new Set<string>(['registro.xlsx', 'registro-excel.csv', 'registro.csv', 'registro.json']);

/** The register screen's filters the API applies to the exports, by the API's parameter names. */
export type ExportFilters = Partial<Record<'q' | 'unit' | 'risk_area' | 'level' | 'measure_type' | 'state' | 'inherent_cell' | 'residual_cell' | 'marker', string>>;

export function ExportButtons({ cycle, filters = {} }: { cycle: string; filters?: ExportFilters }) {
  const { t } = useTranslation('register');
  const files = exportFiles.map(({ file, key }) => ({ file, label: t(`exports.${key}`) }));
  const fetchFile = (file: string) =>
    api.download('GET /api/v1/cycles/:cycle/exports/:file', { params: { cycle, file }, query: filteredFiles.has(file) ? filters : {} }, `${cycle}_${file}`);

  return (
    <section className="register-exports mt-4" aria-labelledby="register-exports-title">
      <h2 id="register-exports-title" className="h5">
        {t('exports.heading')}
      </h2>
      <p className="small mb-2">{t('exports.note')}</p>
      <DownloadButtons files={files} fetchFile={fetchFile} preparing={(file) => t('exports.preparing', { file })} done={(file) => t('exports.done', { file })} />
    </section>
  );
}
