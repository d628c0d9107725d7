// The documents of the cycle (GET /cycles/:cycle/exports/:file), downloaded through the authenticated client. Its
// own state, so a download in progress does not re-render the table.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/Feedback';
import { announce } from '../../lib/announce';

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
export type ExportFilters = Partial<Record<'q' | 'unit' | 'risk_area' | 'level' | 'measure_type' | 'state' | 'inherent_cell' | 'residual_cell', string>>;

export function ExportButtons({ cycle, filters = {} }: { cycle: string; filters?: ExportFilters }) {
  const { t } = useTranslation('register');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const labels: Record<(typeof exportFiles)[number]['key'], string> = {
    xlsx: t('exports.xlsx'),
    excelCsv: t('exports.excelCsv'),
    csv: t('exports.csv'),
    json: t('exports.json'),
    pdf: t('exports.pdf'),
    odt: t('exports.odt'),
    docx: t('exports.docx'),
    dictionary: t('exports.dictionary'),
    annual: t('exports.annual'),
  };

  const download = async (file: string, label: string) => {
    if (busy) return; // one download at a time; the buttons stay focusable (aria-disabled)
    setBusy(file);
    setError(null);
    announce(t('exports.preparing', { file: label }));
    try {
      const query = filteredFiles.has(file) ? filters : {};
      await api.download('GET /api/v1/cycles/:cycle/exports/:file', { params: { cycle, file }, query }, `${cycle}_${file}`);
      announce(t('exports.done', { file: label }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="register-exports mt-4" aria-labelledby="register-exports-title">
      <h2 id="register-exports-title" className="h5">
        {t('exports.heading')}
      </h2>
      <p className="small mb-2">{t('exports.note')}</p>
      <ErrorAlert error={error} />
      <ul className="list-unstyled d-flex flex-wrap gap-2 mb-0">
        {exportFiles.map(({ file, key }) => (
          <li key={file}>
            <button
              type="button"
              className="btn btn-outline-primary btn-sm"
              aria-disabled={busy !== null || undefined}
              aria-busy={busy === file}
              onClick={() => download(file, labels[key])}
              data-export={file}
            >
              {busy === file ? t('exports.preparing', { file: labels[key] }) : labels[key]}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
