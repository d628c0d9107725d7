// The public consultation held before adoption (ANAC, 23 July 2025): dates, channel, audience, contributions and
// how each was considered.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Consultation, Contribution } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { SelectField, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { idOf, isIsoDate, type ConsultationView } from './model';
import { PartHeader, SaveBar } from './PartStatus';
import { usePart } from './usePart';

export function checkConsultation(c: Consultation): FieldErrors {
  const e: FieldErrors = {};
  if (c.start && !isIsoDate(c.start)) e.start = 'date_invalid';
  if (c.end && !isIsoDate(c.end)) e.end = 'date_invalid';
  if (!e.start && !e.end && c.start && c.end && c.end < c.start) e.end = 'date_order';
  c.contributions.forEach((k, i) => {
    if (!k.from.trim()) e[`contributions[${i}].from`] = 'required';
    if (!k.summary.trim()) e[`contributions[${i}].summary`] = 'required';
    if (k.outcome !== 'da_valutare' && !k.reasoning.trim()) e[`contributions[${i}].reasoning`] = 'required';
    if (k.date && !isIsoDate(k.date)) e[`contributions[${i}].date`] = 'date_invalid';
  });
  return e;
}

const outcomes = ['accolto', 'parzialmente_accolto', 'non_accolto', 'da_valutare'] as const;

export function ConsultationSection({ cycle, canEdit }: { cycle: string; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const p = usePart<ConsultationView, Consultation>(cycle, 'consultation');
  const v = p.loaded.data;
  const [draft, setDraft] = useState<Consultation | null>(null);
  const [seen, setSeen] = useState<number | undefined>(undefined);
  if (v && seen !== v.version) {
    setSeen(v.version);
    setDraft(v.content);
  }
  if (p.loaded.loading && !v) return <Loading />;
  if (!v || !draft) return <ErrorAlert error={p.loaded.error} onRetry={p.loaded.reload} />;
  const msg = (k: string) => p.errors[k];
  const setK = (i: number, patch: Partial<Contribution>) => setDraft({ ...draft, contributions: draft.contributions.map((k, j) => (j === i ? { ...k, ...patch } : k)) });
  return (
    <>
      <PartHeader version={v.version} demo={v.content.demo} canEdit={canEdit} />
      <form ref={p.form} noValidate onSubmit={(e) => void p.save(e, draft, checkConsultation(draft))}>
        <fieldset disabled={!canEdit}>
          <div className="row g-2">
            <div className="col-6 col-md-3">
              <TextField id="cons-start" type="date" label={t('consultation.start')} value={draft.start} onChange={(start) => setDraft({ ...draft, start })} error={msg('start')} />
            </div>
            <div className="col-6 col-md-3">
              <TextField id="cons-end" type="date" label={t('consultation.end')} value={draft.end} onChange={(end) => setDraft({ ...draft, end })} error={msg('end')} />
            </div>
            <div className="col-12 col-md-6">
              <SelectField id="cons-channel" label={t('consultation.channel')} value={draft.channel} onChange={(channel) => setDraft({ ...draft, channel: channel as Consultation['channel'] })} error={msg('channel')}>
                {(['', 'online', 'focus_group', 'interviste', 'altro'] as const).map((c) => (
                  <option key={c} value={c}>
                    {t(`consultation.channels.${c}`)}
                  </option>
                ))}
              </SelectField>
            </div>
          </div>
          <TextField id="cons-detail" label={t('consultation.channelDetail')} value={draft.channel_detail} onChange={(channel_detail) => setDraft({ ...draft, channel_detail })} error={msg('channel_detail')} />
          <TextArea id="cons-audience" label={t('consultation.audience')} value={draft.audience} onChange={(audience) => setDraft({ ...draft, audience })} error={msg('audience')} rows={2} />
          <h2 className="h4">{t('consultation.contributions')}</h2>
          {draft.contributions.length === 0 && <p>{t('consultation.none')}</p>}
          {draft.contributions.map((k, i) => {
            const q = `contributions[${i}]`;
            return (
              <fieldset key={k.id ?? `new-${i}`} className="border rounded p-2 mb-2">
                <legend className="h6">{t('consultation.contribution', { n: i + 1 })}</legend>
                <div className="row g-2">
                  <div className="col-6 col-md-3">
                    <TextField id={idOf('cons', `${q}.date`)} type="date" label={t('consultation.date')} value={k.date ?? ''} onChange={(date) => setK(i, { date })} error={msg(`${q}.date`)} />
                  </div>
                  <div className="col-6 col-md-5">
                    <TextField id={idOf('cons', `${q}.from`)} label={t('consultation.from')} value={k.from} onChange={(from) => setK(i, { from })} error={msg(`${q}.from`)} required />
                  </div>
                  <div className="col-12 col-md-4">
                    <SelectField id={idOf('cons', `${q}.outcome`)} label={t('consultation.outcome')} value={k.outcome} onChange={(outcome) => setK(i, { outcome: outcome as Contribution['outcome'] })} error={msg(`${q}.outcome`)} required>
                      {outcomes.map((o) => (
                        <option key={o} value={o}>
                          {t(`consultation.outcomes.${o}`)}
                        </option>
                      ))}
                    </SelectField>
                  </div>
                </div>
                <TextArea id={idOf('cons', `${q}.summary`)} label={t('consultation.summary')} value={k.summary} onChange={(summary) => setK(i, { summary })} error={msg(`${q}.summary`)} rows={2} required />
                <TextArea id={idOf('cons', `${q}.reasoning`)} label={t('consultation.reasoning')} value={k.reasoning} onChange={(reasoning) => setK(i, { reasoning })} error={msg(`${q}.reasoning`)} rows={2} />
                {canEdit && (
                  <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setDraft({ ...draft, contributions: draft.contributions.filter((_, j) => j !== i) })}>
                    {t('remove')} <span className="visually-hidden">{t('consultation.contribution', { n: i + 1 })}</span>
                  </button>
                )}
              </fieldset>
            );
          })}
          {canEdit && (
            <button
              type="button"
              className="btn btn-sm btn-outline-primary"
              onClick={() => setDraft({ ...draft, contributions: [...draft.contributions, { date: '', from: '', summary: '', outcome: 'da_valutare', reasoning: '' }] })}
            >
              {t('add')} <span className="visually-hidden">{t('consultation.contributions')}</span>
            </button>
          )}
        </fieldset>
        {canEdit && <SaveBar busy={p.busy} saved={p.saved} conflict={p.conflict} failure={p.failure} />}
      </form>
    </>
  );
}
