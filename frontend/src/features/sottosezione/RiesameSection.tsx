// The annual riesame of the prevention system (PNA 2019 All. 1 §6.3), started from what monitoring says; under the
// simplified regime it may record the confirmation of the plan for the following year.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Riesame } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { formatDate } from '../../lib/format';
import { isIsoDate, isYear, type RiesameView } from './model';
import { PartHeader, SaveBar } from './PartStatus';
import { usePart } from './usePart';

type Conditions = 'no_corruption_facts' | 'no_organisational_changes' | 'no_objective_changes' | 'no_maladministration';
const conditions: Array<[Conditions, string]> = [
  ['no_corruption_facts', 'riesame.noCorruption'],
  ['no_organisational_changes', 'riesame.noOrg'],
  ['no_objective_changes', 'riesame.noObjectives'],
  ['no_maladministration', 'riesame.noMaladministration'],
];

export function checkRiesame(r: Riesame): FieldErrors {
  const e: FieldErrors = {};
  if (!isYear(String(r.year ?? ''))) e.year = 'year_invalid';
  if (r.date && !isIsoDate(r.date)) e.date = 'date_invalid';
  if (r.confirmation) {
    if (!r.confirmation.act.trim()) e['confirmation.act'] = 'required';
    if (conditions.some(([k]) => !r.confirmation?.[k])) e.confirmation = 'conditions_unmet';
  }
  return e;
}

export function RiesameSection({ cycle, startYear, canEdit }: { cycle: string; startYear: number; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const p = usePart<RiesameView, Riesame>(cycle, 'riesame');
  const v = p.loaded.data;
  const [draft, setDraft] = useState<Riesame | null>(null);
  const [seen, setSeen] = useState<number | undefined>(undefined);
  if (v && seen !== v.version) {
    setSeen(v.version);
    setDraft({ ...v.content, year: v.content.year || startYear - 1 });
  }
  if (p.loaded.loading && !v) return <Loading />;
  if (!v || !draft) return <ErrorAlert error={p.loaded.error} onRetry={p.loaded.reload} />;
  const pre = v.computed.prefill;
  const msg = (k: string) => p.errors[k];
  return (
    <>
      <PartHeader version={v.version} demo={v.content.demo} canEdit={canEdit} />
      <section aria-labelledby="riesame-prefill" className="mb-3">
        <h2 id="riesame-prefill" className="h4">
          {t('riesame.prefill')}
        </h2>
        {!pre?.round ? (
          <p>{t('riesame.prefillNone')}</p>
        ) : (
          <div data-testid="riesame-prefill">
            <p>{t('riesame.prefillRound', { date: formatDate(pre.round), cycle: pre.cycle, n: pre.measures })}</p>
            <p className="small">{pre.worked}</p>
            {pre.not_worked && <p className="small">{pre.not_worked}</p>}
            {canEdit && (
              <button
                type="button"
                className="btn btn-sm btn-outline-primary"
                onClick={() => setDraft({ ...draft, worked: draft.worked || pre.worked, not_worked: draft.not_worked || pre.not_worked })}
              >
                {t('riesame.usePrefill')}
              </button>
            )}
          </div>
        )}
      </section>
      <form ref={p.form} noValidate onSubmit={(e) => void p.save(e, draft, checkRiesame(draft))}>
        <fieldset disabled={!canEdit}>
          <div className="row g-2">
            <div className="col-6 col-md-3">
              <TextField id="riesame-year" label={t('riesame.year')} value={String(draft.year || '')} onChange={(y) => setDraft({ ...draft, year: Number(y) || 0 })} error={msg('year')} required />
            </div>
            <div className="col-6 col-md-3">
              <TextField id="riesame-date" type="date" label={t('riesame.date')} value={draft.date} onChange={(date) => setDraft({ ...draft, date })} error={msg('date')} />
            </div>
          </div>
          <TextArea id="riesame-worked" label={t('riesame.worked')} value={draft.worked} onChange={(worked) => setDraft({ ...draft, worked })} error={msg('worked')} rows={4} />
          <TextArea id="riesame-not-worked" label={t('riesame.notWorked')} value={draft.not_worked} onChange={(not_worked) => setDraft({ ...draft, not_worked })} error={msg('not_worked')} rows={4} />
          <TextArea id="riesame-changes" label={t('riesame.changes')} value={draft.changes} onChange={(changes) => setDraft({ ...draft, changes })} error={msg('changes')} rows={4} />
          {v.simplified && (
            <fieldset className="border rounded p-2" aria-describedby={msg('confirmation') ? 'riesame-confirmation-error' : undefined}>
              <legend className="h5">{t('riesame.confirmation')}</legend>
              <div className="form-check">
                <input
                  className="form-check-input"
                  type="checkbox"
                  id="riesame-confirm"
                  checked={!!draft.confirmation}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      confirmation: e.target.checked
                        ? { no_corruption_facts: false, no_organisational_changes: false, no_objective_changes: false, no_maladministration: false, act: '' }
                        : undefined,
                    })
                  }
                />
                <label className="form-check-label" htmlFor="riesame-confirm">
                  {t('riesame.confirm')}
                </label>
              </div>
              {draft.confirmation && (
                <>
                  {conditions.map(([k, label]) => (
                    <div className="form-check" key={k}>
                      <input
                        className="form-check-input"
                        type="checkbox"
                        id={`riesame-${k}`}
                        checked={draft.confirmation?.[k] ?? false}
                        onChange={(e) => draft.confirmation && setDraft({ ...draft, confirmation: { ...draft.confirmation, [k]: e.target.checked } })}
                      />
                      <label className="form-check-label" htmlFor={`riesame-${k}`}>
                        {t(label)}
                      </label>
                    </div>
                  ))}
                  {msg('confirmation') && (
                    <p id="riesame-confirmation-error" className="text-danger" role="alert">
                      {msg('confirmation')}
                    </p>
                  )}
                  <TextField
                    id="riesame-confirmation-act"
                    label={t('riesame.confirmAct')}
                    value={draft.confirmation.act}
                    onChange={(act) => draft.confirmation && setDraft({ ...draft, confirmation: { ...draft.confirmation, act } })}
                    error={msg('confirmation.act')}
                    required
                  />
                </>
              )}
            </fieldset>
          )}
        </fieldset>
        {canEdit && <SaveBar busy={p.busy} saved={p.saved} conflict={p.conflict} failure={p.failure} />}
      </form>
    </>
  );
}
