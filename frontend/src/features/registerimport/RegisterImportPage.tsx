// Import of an existing register from a spreadsheet (POST /cycles/:cycle/register-imports): the RPCT uploads the
// file, matches its columns when the layout is the body's own, reads the preview (what each leaf would become,
// every problem with its place, the titles to confirm) and then imports. Nothing is written before "Importa".
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { RegisterImportMapping, RegisterImportReport } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/Feedback';
import { CheckboxField, ProblemAlert, SelectField } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import './registerimport.css';

const notPresent = '';

/** The headers of the file: those matched to a column and those no column reads. */
export function fileHeaders(report: RegisterImportReport): string[] {
  const out = new Set<string>();
  for (const c of report.columns) if (c.header) out.add(c.header);
  for (const h of report.ignored_columns) out.add(h);
  return [...out];
}

export default function RegisterImportPage() {
  const { t } = useTranslation('registerImport');
  const session = useSession();
  const cycle = useCycleCode();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState('');
  const [report, setReport] = useState<RegisterImportReport | null>(null);
  const [outcome, setOutcome] = useState<RegisterImportReport | null>(null);
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [saveMapping, setSaveMapping] = useState(false);
  const [confirmed, setConfirmed] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const saved = useApi<RegisterImportMapping>((signal) => api.call('GET /api/v1/register-import-mapping', { signal }), []);

  const send = async (dryRun: boolean) => {
    if (busy) return; // one request at a time; the buttons stay focusable (aria-disabled)
    if (!file || !cycle) {
      setFileError(t('form.fileRequired'));
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    const body = new FormData();
    body.append('file', file);
    if (mapping) body.append('mapping', JSON.stringify(mapping));
    if (confirmed.size > 0) body.append('confirm', [...confirmed].join(','));
    try {
      const rep = await api.call<RegisterImportReport>('POST /api/v1/cycles/:cycle/register-imports', {
        params: { cycle },
        query: dryRun ? { dry_run: 'true' } : undefined,
        body,
      });
      if (dryRun) {
        setReport(rep);
        setOutcome(null);
        announce(t('preview.ready', { problems: rep.problems.length }));
      } else {
        setOutcome(rep);
        announce(t('outcome.done', { created: rep.created, updated: rep.updated }));
        if (saveMapping && mapping) {
          await api.call('PUT /api/v1/register-import-mapping', { body: { columns: mapping, version: saved.data?.version ?? 0 } });
          saved.reload();
        }
      }
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    void send(true);
  };

  const headers = useMemo(() => (report ? fileHeaders(report) : []), [report]);
  const currentMapping = (key: string) => mapping?.[key] ?? report?.columns.find((c) => c.key === key)?.header ?? notPresent;
  const setColumn = (key: string, header: string) => {
    const base: Record<string, string> = {};
    for (const c of report?.columns ?? []) if (c.header) base[c.key] = c.header;
    setMapping({ ...base, ...mapping, [key]: header });
  };

  if (!session.can('cycle', 'manage')) {
    return (
      <Page title={t('title')}>
        <p>{t('forbidden')}</p>
      </Page>
    );
  }

  const toConfirm = report?.leaves.filter((l) => l.needs_confirmation) ?? [];
  return (
    <Page title={t('title')} crumbs={[{ to: '/registro', label: t('crumb') }]}>
      <p>{t('intro')}</p>
      <p>
        <button
          type="button"
          className="btn btn-link p-0"
          onClick={() => cycle && void api.download('GET /api/v1/cycles/:cycle/register-imports/registro-modello.xlsx', { params: { cycle } }, 'registro-modello.xlsx')}
        >
          {t('template')}
        </button>
      </p>

      <form onSubmit={onPreview} noValidate aria-describedby="import-file-hint" className="mb-4">
        <div className="mb-3">
          <label htmlFor="import-file" className="form-label">
            {t('form.file')}
            <span aria-hidden="true"> *</span>
          </label>
          <input
            id="import-file"
            ref={fileRef}
            type="file"
            className={`form-control${fileError ? ' is-invalid' : ''}`}
            accept=".xlsx,.ods,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet,text/csv"
            aria-required="true"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'import-file-hint import-file-error' : 'import-file-hint'}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError('');
              setReport(null);
              setOutcome(null);
              setConfirmed(new Set());
            }}
          />
          <small id="import-file-hint" className="form-text d-block">
            {t('form.fileHint')}
          </small>
          {fileError && (
            <div id="import-file-error" className="invalid-feedback d-block" role="alert">
              {fileError}
            </div>
          )}
        </div>
        {saved.data && saved.data.version > 0 && <p className="small">{t('form.savedMapping')}</p>}
        <button type="submit" className="btn btn-primary" aria-busy={busy} aria-disabled={busy || undefined}>
          {t('form.preview')}
        </button>
      </form>
      <ProblemAlert error={failure} ns="registerImport" />
      {failure instanceof ApiError && failure.fieldErrors.length > 0 && (
        <ul className="text-danger" data-testid="import-failure">
          {failure.fieldErrors.map((fe, i) => (
            <li key={i}>
              {[fe.file, fe.line ? t('problems.row') + ' ' + fe.line : '', fe.column].filter(Boolean).join(', ')}
              {fe.file || fe.line || fe.column ? ': ' : ''}
              {t(`codes.${fe.code}`, { defaultValue: fe.code })}
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert error={saved.error} />

      {report && (
        <section aria-labelledby="import-preview-title" className="mb-4">
          <h2 id="import-preview-title" className="h4">
            {t('preview.title')}
          </h2>
          <p data-testid="import-summary">
            {t('preview.summary', {
              sheet: report.sheet,
              row: report.header_row,
              created: report.created,
              updated: report.updated,
              unchanged: report.unchanged,
              skipped: report.skipped,
            })}
            {report.detected && ` ${t('preview.detected', { detected: report.detected })}`}
          </p>

          <details className="mb-3">
            <summary>{t('mapping.title')}</summary>
            <p className="small">{t('mapping.intro')}</p>
            <div className="import-mapping">
              {report.columns.map((c) => (
                <SelectField key={c.key} id={`map-${c.key}`} label={c.label} value={currentMapping(c.key)} onChange={(v) => setColumn(c.key, v)}>
                  <option value={notPresent}>{t('mapping.none')}</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </SelectField>
              ))}
            </div>
            <CheckboxField id="save-mapping" label={t('mapping.save')} checked={saveMapping} onChange={setSaveMapping} />
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void send(true)}>
              {t('mapping.apply')}
            </button>
          </details>

          {report.problems.length > 0 && (
            <>
              <h3 className="h5">{t('problems.title', { count: report.problems.length })}</h3>
              <div className="table-responsive" tabIndex={0} role="region" aria-labelledby="import-problems-caption">
                <table className="table stack-table table-sm">
                  <caption id="import-problems-caption">{t('problems.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('problems.sheet')}</th>
                      <th scope="col">{t('problems.row')}</th>
                      <th scope="col">{t('problems.column')}</th>
                      <th scope="col">{t('problems.what')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.problems.map((p, i) => (
                      <tr key={i} data-code={p.code}>
                        <td>{p.file}</td>
                        <td>{p.line ? formatNumber(p.line) : ''}</td>
                        <td>{p.column || p.field}</td>
                        <td>
                          {t(`codes.${p.code}`, { defaultValue: p.code })}
                          <span className="d-block small text-muted" lang="en">
                            {p.message}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          {report.unknown_codes.length > 0 && (
            <>
              <h3 className="h5">{t('unknown.title')}</h3>
              <ul>
                {report.unknown_codes.map((u) => (
                  <li key={`${u.row}-${u.code}`}>
                    {t('unknown.item', { row: u.row, code: u.code, title: u.title })}{' '}
                    {u.suggestions.map((s) => `${s.code} «${s.title}» (${Math.round(s.similarity * 100)}%)`).join('; ')}
                  </li>
                ))}
              </ul>
            </>
          )}

          {toConfirm.length > 0 && (
            <fieldset className="mb-3">
              <legend className="h5">{t('confirm.title')}</legend>
              <p className="small">{t('confirm.intro')}</p>
              {toConfirm.map((l) => (
                <CheckboxField
                  key={l.code}
                  id={`confirm-${l.code}`}
                  label={t('confirm.item', { code: l.code, file: l.file_title, map: l.map_title, similarity: Math.round(l.title_similarity * 100) })}
                  checked={confirmed.has(l.code)}
                  onChange={(v) => {
                    const next = new Set(confirmed);
                    if (v) next.add(l.code);
                    else next.delete(l.code);
                    setConfirmed(next);
                  }}
                />
              ))}
            </fieldset>
          )}

          <div className="table-responsive" tabIndex={0} role="region" aria-labelledby="import-leaves-caption">
            <table className="table stack-table table-sm">
              <caption id="import-leaves-caption">{t('leaves.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('leaves.code')}</th>
                  <th scope="col">{t('leaves.title')}</th>
                  <th scope="col">{t('leaves.content')}</th>
                  <th scope="col">{t('leaves.action')}</th>
                </tr>
              </thead>
              <tbody>
                {report.leaves.map((l) => (
                  <tr key={l.code} data-action={l.action}>
                    <th scope="row">{l.code}</th>
                    <td>{l.map_title}</td>
                    <td>
                      {t('leaves.counts', { risks: l.risks, measures: l.measures, rows: l.rows })}
                      {(l.links ?? []).map((k) => (
                        <span key={k.ref} className="d-block small">
                          {k.text}
                        </span>
                      ))}
                    </td>
                    <td>
                      {t(`actions.${l.action}`)}
                      {l.reason && <span className="d-block small">{t(`reasons.${l.reason}`)}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <p className="small">{t('commit.note')}</p>
          <button
            type="button"
            className="btn btn-primary"
            aria-disabled={busy || report.problems.length > 0 || undefined}
            aria-describedby="import-commit-why"
            onClick={() => {
              if (report.problems.length === 0) void send(false);
            }}
          >
            {t('commit.button')}
          </button>
          <span id="import-commit-why" className="ms-2 small">
            {report.problems.length > 0 ? t('commit.blocked') : ''}
          </span>
        </section>
      )}

      {outcome && (
        <section aria-labelledby="import-outcome-title" className="alert alert-success" role="status">
          <h2 id="import-outcome-title" className="h5">
            {t('outcome.title')}
          </h2>
          <p className="mb-1">{t('outcome.summary', { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, skipped: outcome.skipped })}</p>
          <Link to="/registro">{t('outcome.register')}</Link>
        </section>
      )}
    </Page>
  );
}
