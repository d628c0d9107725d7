// The assessment campaign: its deadline (set by the RPCT while the cycle is open) and where each unit stands.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Cycle, Progress } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { formatDate, formatNumber } from '../../lib/format';
import { apiFieldErrors, focusFirstInvalid, isIsoDate, ProblemAlert, TextField, type FieldErrors } from '../../components/FormKit';

const stateColumns = ['not_started', 'draft', 'submitted', 'returned', 'approved', 'excluded'] as const;

export function CampaignSection({
  cycle,
  progress,
  error,
  loading,
  canManage,
  onProgress,
}: {
  cycle: Cycle;
  progress: Progress | undefined;
  error: unknown;
  loading: boolean;
  canManage: boolean;
  onProgress: (p: Progress) => void;
}) {
  const { t } = useTranslation('cycles');
  const editable = canManage && cycle.state === 'open';
  const [deadline, setDeadline] = useState(progress?.deadline ?? '');
  const [seeded, setSeeded] = useState(progress !== undefined);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  if (!seeded && progress) {
    setSeeded(true);
    setDeadline(progress.deadline ?? '');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setFailure(null);
    if (!isIsoDate(deadline)) {
      setErrors({ deadline: t('fieldErrors.date_invalid') });
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const p = await api.call<Progress>('PUT /api/v1/cycles/:cycle/campaign', { params: { cycle: cycle.code }, body: { deadline } });
      onProgress(p);
      setSaved(true);
      announce(t('campaign.saved', { date: formatDate(deadline) }));
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'cycles');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  const columnLabel = (s: (typeof stateColumns)[number]) => {
    switch (s) {
      case 'not_started':
        return t('campaign.cols.not_started');
      case 'draft':
        return t('campaign.cols.draft');
      case 'submitted':
        return t('campaign.cols.submitted');
      case 'returned':
        return t('campaign.cols.returned');
      case 'approved':
        return t('campaign.cols.approved');
      case 'excluded':
        return t('campaign.cols.excluded');
    }
  };

  return (
    <section aria-labelledby="campaign-title" className="cycle-section">
      <h2 id="campaign-title" className="h4">
        {t('campaign.title')}
      </h2>
      {loading && !progress && <Loading />}
      <ErrorAlert error={error} />
      {progress && (
        <p data-testid="campaign-deadline">
          {progress.deadline ? t('campaign.current', { date: formatDate(progress.deadline) }) : t('campaign.none')}
          {progress.overdue && <strong className="ms-2 text-danger">{t('campaign.overdue')}</strong>}
        </p>
      )}
      {editable && (
        <form ref={form} onSubmit={submit} noValidate className="cycle-inline-form" aria-labelledby="campaign-title">
          <TextField
            id="campaign-deadline-input"
            label={t('campaign.deadline')}
            type="date"
            value={deadline}
            onChange={(v) => {
              setDeadline(v);
              setSaved(false);
            }}
            error={errors.deadline}
            hint={t('campaign.deadlineHint')}
            required
          />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:status.saving') : t('campaign.save')}
          </button>
        </form>
      )}
      {saved && (
        <div className="alert alert-success mt-2" role="status">
          {t('campaign.saved', { date: formatDate(deadline) })}
        </div>
      )}
      <ProblemAlert error={failure} ns="cycles" />
      {progress && progress.units && progress.units.length > 0 && (
        <div className="table-responsive mt-3">
          <table className="table stack-table table-sm" data-testid="campaign-progress">
            <caption>{t('campaign.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaign.cols.unit')}</th>
                <th scope="col" className="text-end">
                  {t('campaign.cols.leaves')}
                </th>
                {stateColumns.map((s) => (
                  <th key={s} scope="col" className="text-end">
                    {columnLabel(s)}
                  </th>
                ))}
                {progress.overdue && (
                  <th scope="col" className="text-end">
                    {t('campaign.cols.overdue')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {progress.units.map((u) => (
                <tr key={u.unit}>
                  <th scope="row">{u.unit}</th>
                  <td className="text-end">{formatNumber(u.leaves ?? 0)}</td>
                  {stateColumns.map((s) => (
                    <td key={s} className="text-end">
                      {formatNumber(u.states?.[s] ?? 0)}
                    </td>
                  ))}
                  {progress.overdue && <td className="text-end">{formatNumber(u.overdue ?? 0)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small text-muted">{t('campaign.note')}</p>
        </div>
      )}
    </section>
  );
}
