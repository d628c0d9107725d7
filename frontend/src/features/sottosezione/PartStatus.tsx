// What every part's form shows around its fields: demo flag, version, read-only note, save button and outcome.
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/FormKit';

export function PartHeader({ version, demo, canEdit }: { version: number; demo?: boolean; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  return (
    <>
      {demo && (
        <p className="alert alert-warning" data-testid="demo-flag">
          {t('demo')}
        </p>
      )}
      <p className="small text-muted">{version > 0 ? t('version', { n: version }) : t('never')}</p>
      {!canEdit && <p className="alert alert-info">{t('readOnly')}</p>}
    </>
  );
}

export function SaveBar({ busy, saved, conflict, failure }: { busy: boolean; saved: boolean; conflict: boolean; failure: unknown }) {
  const { t } = useTranslation('sottosezione');
  return (
    <div className="mt-3">
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('saving') : t('save')}
      </button>
      <ProblemAlert error={failure} ns="sottosezione" />
      {conflict && (
        <p className="alert alert-warning mt-2" role="alert">
          {t('conflict')}
        </p>
      )}
      {saved && (
        <p className="alert alert-success mt-2" role="status">
          {t('saved')}
        </p>
      )}
    </div>
  );
}
