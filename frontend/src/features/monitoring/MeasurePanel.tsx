// One measure of a round: what the unit declared and what the RPCT checked, as text for every reader; the
// self-assessment form for who writes on the measure's unit, the check form for the RPCT, the evidence files.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Assessment } from '../../api/schema.gen';
import { FieldError, ProblemAlert, TextArea, TextField, useDraftForm, type FieldErrors } from '../../components/FormKit';
import { formatDate } from '../../lib/format';
import { OivNotes } from '../../components/OivNotes';
import { EvidenceSection } from './EvidenceSection';
import { MeasureHistory } from './MeasureHistory';
import {
  checkBadgeClass,
  checkBody,
  checkKey,
  checkOutcomes,
  indicatorRows,
  selfAssessmentBody,
  statusBadgeClass,
  statuses,
  statusKey,
  suitabilities,
  validateCheck,
  validateSelfAssessment,
  type CheckDraft,
  type Evidence,
  type IndicatorRow,
  type Problems,
  type RoundMeasure,
  type RoundView,
  type SelfAssessmentDraft,
} from './model';

type Planned = Array<{ name?: string; target?: string; baseline?: string }>;

function useMessages() {
  const { t } = useTranslation('monitoring');
  return (p: Problems): FieldErrors => Object.fromEntries(Object.entries(p).map(([k, code]) => [k, t(`fieldErrors.${code}`, { defaultValue: t('fieldErrors.invalid') })]));
}

/** A radio group in a fieldset with its legend; the error is linked to every option, the invalid state is the group's (a radio may not carry aria-invalid). */
function RadioGroup({
  id,
  legend,
  options,
  value,
  onChange,
  error,
  required,
}: {
  id: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  required?: boolean;
}) {
  return (
    <fieldset id={id} className="monitoring-fieldset" role="radiogroup" aria-invalid={error ? true : undefined}>
      <legend className="h6">
        {legend}
        {required && <span aria-hidden="true"> *</span>}
      </legend>
      {options.map((o) => (
        <div className="form-check my-1" key={o.value}>
          <input
            type="radio"
            id={`${id}-${o.value}`}
            name={id}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            aria-describedby={error ? `${id}-error` : undefined}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

function SelfAssessmentForm({
  cycle,
  date,
  measure,
  planned,
  onSaved,
}: {
  cycle: string;
  date: string;
  measure: RoundMeasure;
  planned: Planned;
  onSaved: (v: RoundView) => void;
}) {
  const { t } = useTranslation('monitoring');
  const messages = useMessages();
  const e = measure.entry;
  const { draft, set, errors, failure, busy, saved, form, submit } = useDraftForm<SelfAssessmentDraft, RoundView>(() => ({
    status: e?.status ?? '',
    reason: e?.reason ?? '',
    notes: e?.notes ?? '',
    indicators: indicatorRows(planned, e?.indicator_values ?? []),
  }), {
    ns: 'monitoring',
    validate: (d) => messages(validateSelfAssessment(d)),
    send: (d) =>
      api.call<RoundView>('PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure', { params: { cycle, date, measure: measure.id }, body: selfAssessmentBody(d) }),
    fieldOf: (p) => (p === 'status' || p === 'reason' || p === 'notes' ? p : undefined),
    savedMessage: t('self.saved'),
    onDone: onSaved,
  });
  const setValue = (i: number, value: string) => set({ indicators: draft.indicators.map((r, j) => (j === i ? { ...r, value } : r)) });

  const hint = (r: IndicatorRow) =>
    r.target === undefined
      ? t('self.indicatorHintOld')
      : r.baseline
        ? t('self.indicatorHint', { target: r.target || '—', baseline: r.baseline })
        : t('self.indicatorHintNoBaseline', { target: r.target || '—' });

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="self-form-title" data-testid="self-assessment-form">
      <h3 id="self-form-title" className="h5">
        {t('measure.selfTitle')}
      </h3>
      <RadioGroup
        id="self-status"
        legend={t('self.legend')}
        options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={draft.status}
        onChange={(status) => set({ status })}
        error={errors.status}
        required
      />
      <TextArea
        id="self-reason"
        label={t('self.reason')}
        value={draft.reason}
        onChange={(reason) => set({ reason })}
        hint={draft.status === 'attuata' ? t('self.reasonHintOptional') : t('self.reasonHint')}
        error={errors.reason}
        required={draft.status !== 'attuata'}
      />
      <fieldset className="monitoring-fieldset">
        <legend className="h6">{t('self.indicatorsLegend')}</legend>
        {draft.indicators.length === 0 && <p className="mb-0">{t('self.indicatorsNone')}</p>}
        {draft.indicators.map((r, i) => (
          <TextField
            key={r.name}
            id={`self-indicator-${i}`}
            label={t('self.indicatorValue', { name: r.name })}
            value={r.value}
            onChange={(v) => setValue(i, v)}
            hint={hint(r)}
            error={errors[`indicator-${i}`]}
            required={draft.status === 'attuata' && r.target !== undefined}
          />
        ))}
      </fieldset>
      <TextArea id="self-notes" label={t('self.notes')} value={draft.notes} onChange={(notes) => set({ notes })} error={errors.notes} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common:status.saving') : t('self.save')}
      </button>
      {saved && (
        <div className="alert alert-success mt-2" role="status">
          {t('self.saved')}
        </div>
      )}
      <ProblemAlert error={failure} ns="monitoring" />
    </form>
  );
}

function CheckForm({ cycle, date, measure, onSaved }: { cycle: string; date: string; measure: RoundMeasure; onSaved: (v: RoundView) => void }) {
  const { t } = useTranslation('monitoring');
  const messages = useMessages();
  const e = measure.entry;
  const { draft, set, errors, failure, busy, saved, form, submit } = useDraftForm<CheckDraft, RoundView>(() => ({
    check_outcome: e?.check_outcome ?? '',
    check_notes: e?.check_notes ?? '',
    suitability: e?.suitability ?? '',
    suitability_reason: e?.suitability_reason ?? '',
  }), {
    ns: 'monitoring',
    validate: (d) => messages(validateCheck(d)),
    send: (d) =>
      api.call<RoundView>('PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/check', { params: { cycle, date, measure: measure.id }, body: checkBody(d, e?.self_version) }),
    fieldOf: (p) => (['check_outcome', 'check_notes', 'suitability', 'suitability_reason'].includes(p) ? p : undefined),
    savedMessage: t('checkForm.saved'),
    onDone: onSaved,
  });

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="check-form-title" data-testid="check-form">
      <h3 id="check-form-title" className="h5">
        {t('measure.checkTitle')}
      </h3>
      <RadioGroup
        id="check-outcome"
        legend={t('checkForm.outcomeLegend')}
        options={checkOutcomes.map((o) => ({ value: o, label: t(`check.${o}`) }))}
        value={draft.check_outcome}
        onChange={(check_outcome) => set({ check_outcome })}
        error={errors.check_outcome}
        required
      />
      <TextArea
        id="check-notes"
        label={t('checkForm.notes')}
        value={draft.check_notes}
        onChange={(check_notes) => set({ check_notes })}
        hint={t('checkForm.notesHint')}
        error={errors.check_notes}
        required={draft.check_outcome !== '' && draft.check_outcome !== 'confermato'}
      />
      <RadioGroup
        id="check-suitability"
        legend={t('checkForm.suitabilityLegend')}
        options={suitabilities.map((s) => ({ value: s, label: t(`suitability.${s}`) }))}
        value={draft.suitability}
        onChange={(suitability) => set({ suitability })}
        error={errors.suitability}
        required
      />
      <TextArea
        id="check-suitability-reason"
        label={t('checkForm.suitabilityReason')}
        value={draft.suitability_reason}
        onChange={(suitability_reason) => set({ suitability_reason })}
        hint={t('checkForm.suitabilityReasonHint')}
        error={errors.suitability_reason}
        required={draft.suitability !== '' && draft.suitability !== 'idonea'}
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common:status.saving') : t('checkForm.save')}
      </button>
      {saved && (
        <div className="alert alert-success mt-2" role="status">
          {t('checkForm.saved')}
        </div>
      )}
      <ProblemAlert error={failure} ns="monitoring" />
    </form>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** What has been recorded on the measure, as text. */
function EntryView({ measure, planned }: { measure: RoundMeasure; planned: Planned }) {
  const { t } = useTranslation('monitoring');
  const e = measure.entry;
  if (!e) return <p data-testid="entry-none">{t('measure.selfNone')}</p>;
  const targetOf = (name: string) => planned.find((p) => p.name === name)?.target;
  return (
    <dl className="monitoring-dl" data-testid="entry-view">
      <Item term={t('self.legend')}>
        <span className={statusBadgeClass(e.status)}>{t(statusKey(e))}</span>
      </Item>
      {e.reason && (
        <Item term={t('measure.reason')}>
          <span className="monitoring-pre">{e.reason}</span>
        </Item>
      )}
      <Item term={t('measure.indicators')}>
        {e.indicator_values.length === 0 ? (
          t('measure.indicatorsNone')
        ) : (
          <ul className="mb-0">
            {e.indicator_values.map((iv) => (
              <li key={iv.name}>
                {iv.name}: <strong>{iv.value}</strong>
                {targetOf(iv.name) && <> ({t('measure.indicatorTarget', { target: targetOf(iv.name) })})</>}
              </li>
            ))}
          </ul>
        )}
      </Item>
      {e.notes && (
        <Item term={t('measure.notes')}>
          <span className="monitoring-pre">{e.notes}</span>
        </Item>
      )}
      <Item term={t('measure.checkTitle')}>
        <span className={checkBadgeClass(e.check_outcome)}>{t(checkKey(e))}</span>
        {e.check_outdated && (
          <span className="d-block text-warning-emphasis" data-testid="check-outdated">
            {t('check.outdated')}
          </span>
        )}
      </Item>
      {e.check_notes && (
        <Item term={t('measure.checkNotes')}>
          <span className="monitoring-pre">{e.check_notes}</span>
        </Item>
      )}
      {e.check_outcome && (
        <Item term={t('measure.suitability')}>
          {e.suitability ? t(`suitability.${e.suitability}`, { defaultValue: e.suitability }) : t('suitability.none')}
          {e.suitability_reason && <span className="d-block monitoring-pre">{e.suitability_reason}</span>}
        </Item>
      )}
    </dl>
  );
}

export function MeasurePanel({
  cycle,
  view,
  measure,
  canSelfAssess,
  canCheck,
  evidence,
  evidenceComplete,
  onEvidence,
  onView,
  onClose,
}: {
  cycle: string;
  view: RoundView;
  measure: RoundMeasure;
  canSelfAssess: boolean;
  canCheck: boolean;
  evidence: Evidence[];
  evidenceComplete: boolean;
  onEvidence: (list: Evidence[]) => void;
  onView: (v: RoundView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('monitoring');
  const heading = useRef<HTMLHeadingElement>(null);
  const date = view.round.reference_date;
  const open = view.round.state === 'open';
  // A withdrawn measure keeps its history but takes no new self-assessment, evidence or check.
  const active = !measure.withdrawn_at;
  const writes = open && canSelfAssess && active;
  const [planned, setPlanned] = useState<Planned | null>(null);
  const [plannedFailed, setPlannedFailed] = useState(false);

  useEffect(() => {
    heading.current?.focus();
  }, [measure.id]);

  // The indicators and targets are planned in the leaf's assessment (the round lists only the measure's essentials).
  useEffect(() => {
    const ctl = new AbortController();
    setPlanned(null);
    setPlannedFailed(false);
    api
      .call<Assessment>('GET /api/v1/cycles/:cycle/nodes/:code/assessment', { params: { cycle, code: measure.leaf }, signal: ctl.signal })
      .then((a) => {
        if (ctl.signal.aborted) return;
        const m = a.measures.find((x) => x.id === measure.id);
        setPlanned((m?.indicators ?? []) as Planned);
      })
      .catch((err) => {
        if (ctl.signal.aborted || (err as Error).name === 'AbortError') return;
        setPlanned([]);
        setPlannedFailed(true);
      });
    return () => ctl.abort();
  }, [cycle, measure.leaf, measure.id]);

  return (
    <section className="monitoring-panel" aria-labelledby="measure-panel-title" data-testid="measure-panel">
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <h2 id="measure-panel-title" className="h4" tabIndex={-1} ref={heading}>
          {t('measure.title', { title: measure.title })}
        </h2>
        <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onClose} data-testid="measure-panel-close">
          {t('measure.close')}
        </button>
      </div>
      <dl className="monitoring-dl">
        <Item term={t('measure.leaf')}>{measure.leaf}</Item>
        <Item term={t('measure.unit')}>{measure.unit_title ? `${measure.unit_title} (${measure.unit})` : measure.unit}</Item>
        <Item term={t('measure.type')}>{measure.type}</Item>
        <Item term={t('measure.end')}>{measure.end ? formatDate(measure.end) : '—'}</Item>
        <Item term={t('measure.sampled')}>{measure.sampled ? t('measure.yes') : t('measure.no')}</Item>
        {measure.overdue && <Item term={t('table.overdue')}>{t('measure.overdue')}</Item>}
        {measure.withdrawn_at && (
          <Item term={t('table.withdrawn')}>
            <span data-testid="measure-withdrawn">
              {t('measure.withdrawn', { date: formatDate(measure.withdrawn_at.slice(0, 10)), reason: measure.withdrawn_reason || '—' })}
            </span>
          </Item>
        )}
      </dl>
      <EntryView measure={measure} planned={planned ?? []} />
      {!open && <p className="text-muted">{t('rounds.closedNote')}</p>}
      {writes && planned === null && <p role="status">{t('measure.loadingIndicators')}</p>}
      {writes && plannedFailed && <p className="text-muted">{t('measure.indicatorsUnavailable')}</p>}
      {writes && planned !== null && (
        <SelfAssessmentForm key={`${measure.id}-${date}`} cycle={cycle} date={date} measure={measure} planned={planned} onSaved={onView} />
      )}
      {open && active && canCheck && measure.entry && <CheckForm key={`check-${measure.id}-${date}`} cycle={cycle} date={date} measure={measure} onSaved={onView} />}
      {open && active && canCheck && !measure.entry && <p data-testid="check-needs-self">{t('checkForm.needsSelf')}</p>}
      <EvidenceSection cycle={cycle} date={date} measure={measure} canWrite={writes} evidence={evidence} complete={evidenceComplete} onChange={onEvidence} />
      <OivNotes cycle={cycle} kind="measure" target={measure.id} label={t('common:oivNotes.onMeasure', { title: measure.title })} />
      <MeasureHistory cycle={cycle} measureId={measure.id} />
    </section>
  );
}
