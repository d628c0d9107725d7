// The RPCT's form for one general measure of the programme: legal basis, ANAC type, responsible office, dates,
// phases, indicators with targets, and the risk areas and processes it covers.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ProgrammeMeasure, RefItem } from '../../api/schema.gen';
import { apiFieldErrors, CheckboxGroup, focusFirstInvalid, ProblemAlert, SelectField, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { bodyOf, checkDraft, draftOf, fieldOf, statuses, type ProgrammeDraft } from './model';

export interface ProgrammeRefs {
  units: RefItem[];
  areas: RefItem[];
  types: Array<{ code: string; name: string }>;
  generals: Array<{ code: string; name: string; legal_basis?: string; measure_type?: string; enabling_factors?: string[] }>;
  /** The ente's enabling factors (code and description). */
  factors: Array<{ code: string; description: string }>;
}

export function ProgrammeForm({ cycle, measure, refs, onDone, onCancel }: { cycle: string; measure?: ProgrammeMeasure; refs: ProgrammeRefs; onDone: (m: ProgrammeMeasure) => void; onCancel: () => void }) {
  const { t } = useTranslation('programme');
  const [d, setD] = useState<ProgrammeDraft>(() => draftOf(measure));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (patch: Partial<ProgrammeDraft>) => setD((x) => ({ ...x, ...patch }));
  const msg = (k: string) => errors[k];
  const suggested = refs.generals.find((g) => g.code === d.general_code)?.enabling_factors ?? [];

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    const local = checkDraft(d);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, code]) => [k, t(`fieldErrors.${code}`)])));
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = d.id
        ? await api.call<ProgrammeMeasure>('PUT /api/v1/cycles/:cycle/general-measures/:id', { params: { cycle, id: d.id }, body: bodyOf(d) })
        : await api.call<ProgrammeMeasure>('POST /api/v1/cycles/:cycle/general-measures', { params: { cycle }, body: bodyOf(d) });
      announce(t('saved'));
      onDone(saved);
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'programme', fieldOf);
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  function pickGeneral(code: string) {
    const g = refs.generals.find((x) => x.code === code);
    // The catalogue measure's enabling factors are the suggestion while the measure names none.
    set({ general_code: code, ...(g && d.enabling_factors.length === 0 ? { enabling_factors: [...(g.enabling_factors ?? [])] } : {}), ...(g && !d.title ? { title: g.name } : {}), ...(g && !d.legal_basis ? { legal_basis: g.legal_basis ?? '' } : {}), ...(g && !d.type ? { type: g.measure_type ?? '' } : {}), ...(g && !d.code ? { code } : {}) });
  }

  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} className="border rounded p-3 mb-3" aria-labelledby="pm-form-title">
      <h2 id="pm-form-title" className="h4">
        {d.id ? t('form.editTitle', { code: measure?.code }) : t('form.newTitle')}
      </h2>
      <div className="row g-2">
        <div className="col-12 col-md-4">
          <SelectField id="pm-general" label={t('fields.general_code')} value={d.general_code} onChange={pickGeneral} error={msg('general_code')}>
            <option value="">{t('form.ownMeasure')}</option>
            {refs.generals.map((g) => (
              <option key={g.code} value={g.code}>
                {g.code} – {g.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-6 col-md-2">
          <TextField id="pm-code" label={t('fields.code')} value={d.code} onChange={(code) => set({ code })} error={msg('code')} required />
        </div>
        <div className="col-6 col-md-3">
          <SelectField id="pm-type" label={t('fields.type')} value={d.type} onChange={(type) => set({ type })} error={msg('type')}>
            <option value="">{t('form.none')}</option>
            {refs.types.map((x) => (
              <option key={x.code} value={x.code}>
                {x.code} – {x.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-12 col-md-3">
          <SelectField id="pm-status" label={t('fields.status')} value={d.status} onChange={(status) => set({ status: status as ProgrammeDraft['status'] })} error={msg('status')}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </SelectField>
        </div>
      </div>
      <TextField id="pm-title" label={t('fields.title')} value={d.title} onChange={(title) => set({ title })} error={msg('title')} required />
      <TextArea id="pm-description" label={t('fields.description')} value={d.description} onChange={(description) => set({ description })} error={msg('description')} rows={2} />
      <div className="row g-2">
        <div className="col-12 col-md-6">
          <TextField id="pm-basis" label={t('fields.legal_basis')} value={d.legal_basis} onChange={(legal_basis) => set({ legal_basis })} error={msg('legal_basis')} />
        </div>
        <div className="col-12 col-md-3">
          <SelectField id="pm-unit" label={t('fields.unit')} value={d.unit} onChange={(unit) => set({ unit })} error={msg('unit')}>
            <option value="">{t('form.none')}</option>
            {refs.units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.code} – {u.title}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="col-12 col-md-3">
          <TextField id="pm-owner" label={t('fields.owner')} value={d.owner} onChange={(owner) => set({ owner })} error={msg('owner')} />
        </div>
        <div className="col-6 col-md-3">
          <TextField id="pm-start" type="date" label={t('fields.start')} value={d.start} onChange={(start) => set({ start })} error={msg('start')} />
        </div>
        <div className="col-6 col-md-3">
          <TextField id="pm-end" type="date" label={t('fields.end')} value={d.end} onChange={(end) => set({ end })} error={msg('end')} />
        </div>
        <div className="col-12 col-md-3">
          <TextField id="pm-areas" label={t('fields.areas')} hint={t('form.codesHint', { example: refs.areas.slice(0, 3).map((a) => a.code).join(', ') })} value={d.areas} onChange={(areas) => set({ areas })} error={msg('areas')} />
        </div>
        <div className="col-12 col-md-3">
          <TextField id="pm-processes" label={t('fields.processes')} hint={t('form.processesHint')} value={d.processes} onChange={(processes) => set({ processes })} error={msg('processes')} />
        </div>
      </div>
      <TextArea id="pm-cost-note" label={t('fields.cost_note')} hint={t('form.costNoteHint')} value={d.cost_note} onChange={(cost_note) => set({ cost_note })} error={msg('cost_note')} rows={2} />
      <CheckboxGroup
        id="pm-factors"
        legend={t('fields.enabling_factors')}
        hint={suggested.length > 0 ? t('form.factorsHintSuggested', { code: d.general_code, list: suggested.join(', ') }) : t('form.factorsHint')}
        options={refs.factors.map((f) => ({ value: f.code, label: `${f.code} – ${f.description}` }))}
        values={d.enabling_factors}
        onChange={(enabling_factors) => set({ enabling_factors })}
        error={msg('enabling_factors')}
        marked={suggested}
        markLabel={t('form.suggested')}
      />
      <fieldset className="mb-2">
        <legend className="h6">{t('fields.phases')}</legend>
        {d.phases.map((p, i) => (
          <div className="row g-2 align-items-end" key={i}>
            <div className="col-12 col-md-7">
              <TextField id={`pm-phase-${i}-title`} label={t('form.phaseTitle', { n: i + 1 })} value={p.title} onChange={(title) => set({ phases: d.phases.map((x, j) => (j === i ? { ...x, title } : x)) })} error={msg(`phases[${i}].title`)} required />
            </div>
            <div className="col-8 col-md-3">
              <TextField id={`pm-phase-${i}-deadline`} type="date" label={t('form.phaseDeadline', { n: i + 1 })} value={p.deadline} onChange={(deadline) => set({ phases: d.phases.map((x, j) => (j === i ? { ...x, deadline } : x)) })} error={msg(`phases[${i}].deadline`)} />
            </div>
            <div className="col-4 col-md-2 mb-3">
              <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => set({ phases: d.phases.filter((_, j) => j !== i) })}>
                {t('form.remove')} <span className="visually-hidden">{t('form.phaseTitle', { n: i + 1 })}</span>
              </button>
            </div>
          </div>
        ))}
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => set({ phases: [...d.phases, { title: '', deadline: '' }] })}>
          {t('form.addPhase')}
        </button>
      </fieldset>
      <fieldset className="mb-2">
        <legend className="h6">{t('fields.indicators')}</legend>
        {d.indicators.map((ind, i) => (
          <div className="row g-2 align-items-end" key={i}>
            <div className="col-12 col-md-6">
              <TextField id={`pm-ind-${i}-name`} label={t('form.indicatorName', { n: i + 1 })} value={ind.name} onChange={(name) => set({ indicators: d.indicators.map((x, j) => (j === i ? { ...x, name } : x)) })} error={msg(`indicators[${i}].name`)} required />
            </div>
            <div className="col-6 col-md-2">
              <TextField id={`pm-ind-${i}-baseline`} label={t('form.baseline')} value={ind.baseline} onChange={(baseline) => set({ indicators: d.indicators.map((x, j) => (j === i ? { ...x, baseline } : x)) })} />
            </div>
            <div className="col-6 col-md-2">
              <TextField id={`pm-ind-${i}-target`} label={t('form.target')} value={ind.target} onChange={(target) => set({ indicators: d.indicators.map((x, j) => (j === i ? { ...x, target } : x)) })} />
            </div>
            <div className="col-12 col-md-2 mb-3">
              <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => set({ indicators: d.indicators.filter((_, j) => j !== i) })}>
                {t('form.remove')} <span className="visually-hidden">{t('form.indicatorName', { n: i + 1 })}</span>
              </button>
            </div>
          </div>
        ))}
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => set({ indicators: [...d.indicators, { name: '', baseline: '', target: '' }] })}>
          {t('form.addIndicator')}
        </button>
      </fieldset>
      <ProblemAlert error={failure} ns="programme" />
      <div className="d-flex gap-2 flex-wrap">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('form.saving') : t('form.save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
