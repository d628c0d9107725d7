// The state of publication of each obligation at a monitoring round, scored as ANAC's grid for the OIV's
// attestation asks; the RPCT or the OIV records it, everyone who reads measures reads it and downloads the grid.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PublicationRound } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ProblemAlert, SelectField, TextField } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { checkScores, scoreBody, scoreColumns, scoreDraft, scoreValues, type ScoreDraft } from './model';

type Item = PublicationRound['items'][number];

function ScoreRow({ cycle, date, item, editable, onSaved }: { cycle: string; date: string; item: Item; editable: boolean; onSaved: (r: PublicationRound) => void }) {
  const { t } = useTranslation('transparency');
  const [d, setD] = useState<ScoreDraft>(() => scoreDraft(item.check));
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = item.id ?? '';
  async function save() {
    setFailure(null);
    const local = checkScores(d);
    setError(local.published ? t(`fieldErrors.${local.published}`) : undefined);
    if (local.published) return;
    setBusy(true);
    try {
      const r = await api.call<PublicationRound>('PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/publication/:id', {
        params: { cycle, date, id },
        body: scoreBody(d, item.check?.version ?? 0),
      });
      announce(t('saved'));
      onSaved(r);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <fieldset className="border rounded p-2 mb-2" disabled={!editable}>
      <legend className="h6">
        {item.code} – {item.obligation}
      </legend>
      <div className="row g-2 align-items-end">
        {scoreColumns.map((c) => (
          <div className="col-6 col-md-2" key={c}>
            <SelectField id={`pub-${id}-${c}`} label={t(`scores.${c}`)} value={d[c]} onChange={(v) => setD({ ...d, [c]: v })} error={c === 'published' ? error : undefined}>
              <option value="">{item.check ? t('scores.na') : t('scores.blank')}</option>
              {scoreValues(c).map((v) => (
                <option key={v} value={String(v)}>
                  {v}
                </option>
              ))}
            </SelectField>
          </div>
        ))}
        <div className="col-12 col-md-2">
          <TextField id={`pub-${id}-notes`} label={t('scores.notes')} value={d.notes} onChange={(notes) => setD({ ...d, notes })} />
        </div>
      </div>
      {editable && (
        <button type="button" className="btn btn-sm btn-primary" onClick={() => void save()} disabled={busy}>
          {t('scores.save')} <span className="visually-hidden">{item.code}</span>
        </button>
      )}
      <ProblemAlert error={failure} ns="transparency" />
    </fieldset>
  );
}

export function PublicationSection({ cycle }: { cycle: string }) {
  const { t } = useTranslation('transparency');
  const s = useSession();
  const canRecord = s.can('cycle', 'manage') || s.can('oiv_note', 'write');
  const rounds = useApi((signal) => api.call<{ items: Array<{ round: { reference_date: string; state: string } }> }>('GET /api/v1/cycles/:cycle/monitoring/rounds', { params: { cycle }, signal }), [cycle]);
  const [date, setDate] = useState('');
  const items = rounds.data?.items ?? [];
  const chosen = date || items[0]?.round.reference_date || '';
  const round = useApi((signal) => (chosen ? api.call<PublicationRound>('GET /api/v1/cycles/:cycle/monitoring/rounds/:date/publication', { params: { cycle, date: chosen }, signal }) : Promise.resolve(undefined)), [cycle, chosen]);
  const [failure, setFailure] = useState<unknown>(null);
  async function download() {
    setFailure(null);
    try {
      await api.download('GET /api/v1/cycles/:cycle/monitoring/rounds/:date/oiv-grid.xlsx', { params: { cycle, date: chosen } }, `griglia_oiv_${cycle}_${chosen}.xlsx`);
    } catch (err) {
      setFailure(err);
    }
  }
  if (rounds.loading && !rounds.data) return <Loading />;
  if (rounds.error !== null) return <ErrorAlert error={rounds.error} onRetry={rounds.reload} />;
  if (items.length === 0) return <p>{t('publication.noRounds')}</p>;
  const v = round.data;
  const editable = canRecord && v?.round.state === 'open';
  return (
    <>
      <div className="row g-2 align-items-end">
        <div className="col-12 col-md-6">
          <SelectField id="pub-round" label={t('publication.round')} value={chosen} onChange={setDate}>
            {items.map((r) => (
              <option key={r.round.reference_date} value={r.round.reference_date}>
                {r.round.reference_date} ({t(`publication.state.${r.round.state}`)})
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-12 col-md-6 mb-3">
          <button type="button" className="btn btn-outline-primary" onClick={() => void download()} disabled={!v}>
            {t('publication.download')}
          </button>
        </div>
      </div>
      <ProblemAlert error={failure} ns="transparency" />
      {round.loading && !v && <Loading />}
      {round.error !== null && <ErrorAlert error={round.error} onRetry={round.reload} />}
      {v && (
        <>
          <p>{t('publication.summary', { obligations: v.summary.obligations, recorded: v.summary.recorded, published: v.summary.published, complete: v.summary.complete })}</p>
          {v.items.map((it) => (
            <ScoreRow key={`${it.id}-${it.check?.version ?? 0}`} cycle={cycle} date={chosen} item={it} editable={editable} onSaved={(r) => round.setData(r)} />
          ))}
        </>
      )}
    </>
  );
}
