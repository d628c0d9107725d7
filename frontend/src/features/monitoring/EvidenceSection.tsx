// The evidence files of a measure in a round: list with download for every reader; upload and removal for the
// measure's unit while the round is open. Uploads are multipart (field "file"); the server detects the type.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ConfirmDialog, FieldError } from '../../components/FormKit';
import { ErrorAlert } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { defaultEvidenceMaxMB, evidenceAccept, formatSize, uploadProblem, type Evidence, type RoundMeasure } from './model';

export function EvidenceSection({
  cycle,
  date,
  measure,
  canWrite,
  evidence,
  complete,
  onChange,
}: {
  cycle: string;
  date: string;
  measure: RoundMeasure;
  canWrite: boolean;
  evidence: Evidence[];
  /** false when the server did not list the files (only this page's uploads are known) */
  complete: boolean;
  onChange: (list: Evidence[]) => void;
}) {
  const { t } = useTranslation('monitoring');
  const input = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState('');
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<Evidence | null>(null);
  const [removeBusy, setRemoveBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function upload(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const file = input.current?.files?.[0];
    if (!file) {
      setFileError(t('evidence.errors.choose'));
      input.current?.focus();
      return;
    }
    if (file.size === 0) {
      setFileError(t('evidence.errors.empty'));
      input.current?.focus();
      return;
    }
    setFileError('');
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      const ev = await api.call<Evidence>('POST /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/evidence', {
        params: { cycle, date, measure: measure.id },
        body,
      });
      onChange([...evidence, ev]);
      if (input.current) input.current.value = '';
      announce(t('evidence.uploaded', { name: ev.name }));
    } catch (err) {
      const p = uploadProblem(err);
      setFileError(t(p.key, { mb: p.maxMB ?? defaultEvidenceMaxMB }));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  async function download(ev: Evidence) {
    setFailure(null);
    try {
      await api.download('GET /api/v1/evidence/:id', { params: { id: ev.id } }, ev.name);
    } catch (err) {
      setFailure(err);
    }
  }

  async function remove() {
    if (!removing) return;
    setRemoveBusy(true);
    setFailure(null);
    try {
      await api.call('DELETE /api/v1/evidence/:id', { params: { id: removing.id } });
      onChange(evidence.filter((x) => x.id !== removing.id));
      announce(t('evidence.removed'));
      setRemoving(null);
    } catch (err) {
      setFailure(err);
      setRemoving(null);
    } finally {
      setRemoveBusy(false);
    }
  }

  return (
    <section aria-labelledby="evidence-title" className="mt-4" data-testid="evidence-section">
      <h3 id="evidence-title" className="h5">
        {t('evidence.title')}
      </h3>
      {evidence.length === 0 ? (
        <p data-testid="evidence-none">{t('evidence.none')}</p>
      ) : (
        <div className="table-responsive">
          <table className="table stack-table table-sm" data-testid="evidence-table">
            <caption>{t('evidence.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('evidence.name')}</th>
                <th scope="col">{t('evidence.type')}</th>
                <th scope="col" className="text-end">
                  {t('evidence.size')}
                </th>
                <th scope="col">{t('evidence.uploadedAt')}</th>
                <th scope="col">{t('evidence.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map((ev) => (
                <tr key={ev.id}>
                  <th scope="row" className="fw-normal text-break">
                    {ev.name}
                  </th>
                  <td>{ev.content_type.split(';')[0]}</td>
                  <td className="text-end">{formatSize(ev.size)}</td>
                  <td>{formatDateTime(ev.uploaded_at)}</td>
                  <td className="text-nowrap">
                    <button type="button" className="btn btn-sm btn-outline-primary me-1" onClick={() => download(ev)}>
                      {t('evidence.download')}
                      {' '}<span className="visually-hidden">{t('evidence.downloadFor', { name: ev.name })}</span>
                    </button>
                    {canWrite && (
                      <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setRemoving(ev)}>
                        {t('evidence.remove')}
                        {' '}<span className="visually-hidden">{t('evidence.removeFor', { name: ev.name })}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!complete && <p className="small text-muted">{t('evidence.sessionOnly')}</p>}
      <ErrorAlert error={failure} />
      {canWrite && (
        <form onSubmit={upload} noValidate className="monitoring-upload" data-testid="evidence-upload-form">
          <div className="form-group argine-field">
            <label htmlFor="evidence-file" className="active form-label">
              {t('evidence.file')}
            </label>
            <input
              ref={input}
              id="evidence-file"
              type="file"
              className={`form-control${fileError ? ' is-invalid' : ''}`}
              accept={evidenceAccept}
              onChange={() => setFileError('')}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={`evidence-file-hint${fileError ? ' evidence-file-error' : ''}`}
            />
            <small id="evidence-file-hint" className="form-text d-block">
              {t('evidence.accepted', { mb: defaultEvidenceMaxMB })}
            </small>
            <FieldError id="evidence-file" error={fileError} />
          </div>
          <button type="submit" className="btn btn-outline-primary" disabled={busy}>
            {busy ? t('evidence.uploading') : t('evidence.upload')}
          </button>
        </form>
      )}
      <ConfirmDialog
        id="evidence-remove"
        open={removing !== null}
        title={t('evidence.removeTitle')}
        confirmLabel={t('evidence.remove')}
        onConfirm={remove}
        onCancel={() => setRemoving(null)}
        busy={removeBusy}
        danger
      >
        <p>{t('evidence.removeBody', { name: removing?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
