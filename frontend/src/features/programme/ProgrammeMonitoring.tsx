// The programme's general measures in a monitoring round: the responsible office self-assesses its measure,
// the RPCT checks it (the same rounds as the specific measures).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ProgrammeEntry, ProgrammeRound } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ProblemAlert, SelectField, TextArea } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';

const implementation = ['non_avviata', 'in_corso_nei_tempi', 'in_ritardo', 'attuata', 'parzialmente_attuata', 'non_attuata', 'non_piu_applicabile'] as const;
const outcomes = ['confermato', 'non_confermato', 'integrazioni_richieste'] as const;
type Row = ProgrammeRound['measures'][number];

function EntryForm({ cycle, date, row, onSaved }: { cycle: string; date: string; row: Row; onSaved: (r: ProgrammeRound) => void }) {
  const { t } = useTranslation('programme');
  const s = useSession();
  const entry = (row.entry ?? null) as ProgrammeEntry | null;
  const [status, setStatus] = useState<string>(entry?.status ?? '');
  const [reason, setReason] = useState(entry?.reason ?? '');
  const [outcome, setOutcome] = useState<string>(entry?.check_outcome ?? '');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const canSelf = !!row.unit && s.can('measure', 'write', [row.unit]);
  const canCheck = s.can('assessment', 'review') && !!entry;
  const id = row.id ?? '';
  async function send(kind: 'self' | 'check') {
    setFailure(null);
    setBusy(true);
    try {
      const r =
        kind === 'self'
          ? await api.call<ProgrammeRound>('PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures/:id', { params: { cycle, date, id }, body: { status, reason } })
          : await api.call<ProgrammeRound>('PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures/:id/check', {
              params: { cycle, date, id },
              body: { check_outcome: outcome, version: entry?.version ?? 0 },
            });
      announce(t('saved'));
      onSaved(r);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  if (!canSelf && !canCheck) return null;
  return (
    <div className="mt-2">
      {canSelf && (
        <div className="row g-2 align-items-end">
          <div className="col-12 col-md-4">
            <SelectField id={`pmr-${id}-status`} label={t('monitoring.status')} value={status} onChange={setStatus}>
              <option value="">{t('form.none')}</option>
              {implementation.map((x) => (
                <option key={x} value={x}>
                  {t(`implementation.${x}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="col-12 col-md-6">
            <TextArea id={`pmr-${id}-reason`} label={t('monitoring.reason')} value={reason} onChange={setReason} rows={1} />
          </div>
          <div className="col-12 col-md-2 mb-3">
            <button type="button" className="btn btn-sm btn-primary" disabled={busy || !status} onClick={() => void send('self')}>
              {t('monitoring.selfAssess')} <span className="visually-hidden">{row.code}</span>
            </button>
          </div>
        </div>
      )}
      {canCheck && (
        <div className="row g-2 align-items-end">
          <div className="col-12 col-md-6">
            <SelectField id={`pmr-${id}-check`} label={t('monitoring.check')} value={outcome} onChange={setOutcome}>
              <option value="">{t('form.none')}</option>
              {outcomes.map((x) => (
                <option key={x} value={x}>
                  {t(`outcome.${x}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="col-12 col-md-3 mb-3">
            <button type="button" className="btn btn-sm btn-outline-primary" disabled={busy || !outcome} onClick={() => void send('check')}>
              {t('monitoring.saveCheck')} <span className="visually-hidden">{row.code}</span>
            </button>
          </div>
        </div>
      )}
      <ProblemAlert error={failure} ns="programme" />
    </div>
  );
}

export function ProgrammeMonitoring({ cycle }: { cycle: string }) {
  const { t } = useTranslation('programme');
  const rounds = useApi((signal) => api.call<{ items: Array<{ round: { reference_date: string; state: string } }> }>('GET /api/v1/cycles/:cycle/monitoring/rounds', { params: { cycle }, signal }), [cycle]);
  const [date, setDate] = useState('');
  const items = rounds.data?.items ?? [];
  const chosen = date || items[0]?.round.reference_date || '';
  const round = useApi((signal) => (chosen ? api.call<ProgrammeRound>('GET /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures', { params: { cycle, date: chosen }, signal }) : Promise.resolve(undefined)), [cycle, chosen]);
  if (rounds.loading && !rounds.data) return <Loading />;
  if (rounds.error) return <ErrorAlert error={rounds.error} onRetry={rounds.reload} />;
  if (items.length === 0) return <p>{t('monitoring.noRounds')}</p>;
  const open = round.data?.round.state === 'open';
  return (
    <>
      <SelectField id="pmr-round" label={t('monitoring.round')} value={chosen} onChange={setDate}>
        {items.map((r) => (
          <option key={r.round.reference_date} value={r.round.reference_date}>
            {r.round.reference_date} ({t(`monitoring.state.${r.round.state}`)})
          </option>
        ))}
      </SelectField>
      {round.loading && !round.data && <Loading />}
      {round.error !== null && <ErrorAlert error={round.error} onRetry={round.reload} />}
      {round.data && (
        <ul className="list-unstyled">
          {round.data.measures.map((m) => (
            <li key={m.id} className="border-bottom py-2">
              <strong>{m.code}</strong> {m.title} — {m.unit || t('monitoring.noUnit')}: {m.entry ? t(`implementation.${m.entry.status}`) : t('monitoring.notAssessed')}
              {m.entry?.check_outcome ? ` · ${t(`outcome.${m.entry.check_outcome}`)}` : ''}
              {m.overdue && <span className="badge bg-danger ms-2">{t('monitoring.overdue')}</span>}
              {open && <EntryForm cycle={cycle} date={chosen} row={m} onSaved={(r) => round.setData(r)} />}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
