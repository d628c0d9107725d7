// The cycle's monitoring plan: read by everyone who reads the measures, set by the RPCT.
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { CheckboxField, ProblemAlert, TextArea, TextField, useDraftForm } from '../../components/FormKit';
import { formatDate } from '../../lib/format';
import { planBody, planDraft, planFieldOf, validatePlan, type MonitoringPlan, type PlanDraft } from './model';

const frequencies = ['mensile', 'trimestrale', 'quadrimestrale', 'semestrale', 'annuale'];

export function PlanView({ plan }: { plan: MonitoringPlan }) {
  const { t } = useTranslation('monitoring');
  return (
    <dl className="monitoring-dl" data-testid="plan-view">
      <dt>{t('plan.frequency')}</dt>
      <dd>{plan.frequency}</dd>
      <dt>{t('plan.dates')}</dt>
      <dd>{plan.reference_dates.length ? plan.reference_dates.map(formatDate).join('; ') : t('plan.noDates')}</dd>
      <dt>{t('plan.criteria')}</dt>
      <dd className="monitoring-pre">{plan.sampling_criteria || t('plan.noCriteria')}</dd>
      <dt>{t('plan.rules')}</dt>
      <dd data-testid="plan-rules">
        <ul className="list-unstyled mb-0">
          {plan.sample_high_risk && <li>{t('plan.highRisk')}</li>}
          {plan.sample_overdue && <li>{t('plan.overdue')}</li>}
          <li>{t('plan.percentRule', { n: plan.sample_percent })}</li>
        </ul>
      </dd>
    </dl>
  );
}

export function PlanForm({ cycle, plan, onSaved }: { cycle: string; plan: MonitoringPlan | null; onSaved: (p: MonitoringPlan) => void }) {
  const { t } = useTranslation('monitoring');
  const { draft, setDraft, set, errors, failure, busy, saved, form, submit } = useDraftForm<PlanDraft, MonitoringPlan>(() => planDraft(plan), {
    ns: 'monitoring',
    validate: (d) => Object.fromEntries(Object.entries(validatePlan(d)).map(([k, code]) => [k, t(`fieldErrors.${code}`, { defaultValue: t('fieldErrors.invalid') })])),
    send: (d) => api.call<MonitoringPlan>('PUT /api/v1/cycles/:cycle/monitoring/plan', { params: { cycle }, body: planBody(d) }),
    fieldOf: planFieldOf,
    savedMessage: t('plan.saved'),
    onDone: (p) => {
      setDraft(planDraft(p));
      onSaved(p);
    },
  });
  const setDate = (i: number, v: string) => set({ reference_dates: draft.reference_dates.map((x, j) => (j === i ? v : x)) });

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="plan-title" data-testid="plan-form">
      <TextField
        id="plan-frequency"
        label={t('plan.frequency')}
        value={draft.frequency}
        onChange={(v) => set({ frequency: v })}
        list="plan-frequencies"
        hint={t('plan.frequencyHint')}
        error={errors.frequency}
        required
      />
      <datalist id="plan-frequencies">
        {frequencies.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <fieldset className="monitoring-fieldset" aria-describedby="plan-dates-hint">
        <legend className="h6">{t('plan.dates')}</legend>
        <p id="plan-dates-hint" className="form-text">
          {t('plan.datesHint')}
        </p>
        {draft.reference_dates.map((d, i) => (
          <div key={i} className="monitoring-date-row">
            <TextField
              id={`plan-date-${i}`}
              label={t('plan.date', { n: i + 1 })}
              type="date"
              value={d}
              onChange={(v) => setDate(i, v)}
              error={errors[`date-${i}`]}
              required={i === 0}
            />
            {draft.reference_dates.length > 1 && (
              <button
                type="button"
                className="btn btn-sm btn-outline-danger"
                onClick={() => set({ reference_dates: draft.reference_dates.filter((_, j) => j !== i) })}
              >
                {t('plan.removeDate', { n: i + 1 })}
              </button>
            )}
          </div>
        ))}
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => set({ reference_dates: [...draft.reference_dates, ''] })}>
          {t('plan.addDate')}
        </button>
      </fieldset>
      <TextArea
        id="plan-criteria"
        label={t('plan.criteria')}
        value={draft.sampling_criteria}
        onChange={(v) => set({ sampling_criteria: v })}
        hint={t('plan.criteriaHint')}
        error={errors.sampling_criteria}
      />
      <fieldset className="monitoring-fieldset">
        <legend className="h6">{t('plan.rules')}</legend>
        <CheckboxField id="plan-high-risk" label={t('plan.highRisk')} checked={draft.sample_high_risk} onChange={(v) => set({ sample_high_risk: v })} />
        <CheckboxField id="plan-overdue" label={t('plan.overdue')} checked={draft.sample_overdue} onChange={(v) => set({ sample_overdue: v })} />
      </fieldset>
      <TextField
        id="plan-percent"
        label={t('plan.percent')}
        type="number"
        value={draft.sample_percent}
        onChange={(v) => set({ sample_percent: v })}
        hint={t('plan.percentHint')}
        error={errors.sample_percent}
        required
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common:status.saving') : t('plan.save')}
      </button>
      {saved && (
        <div className="alert alert-success mt-2" role="status">
          {t('plan.saved')}
        </div>
      )}
      <ProblemAlert error={failure} ns="monitoring" />
    </form>
  );
}
