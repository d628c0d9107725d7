// The filters of the register, shared with the heat map: a labelled search form whose selects apply at once and
// whose text field applies after a short pause (or on Enter), so typing does not re-filter on every key.
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeasureType } from '../../api/schema.gen';
import { collator } from '../../lib/format';
import { assessmentStates, decisions, type Refs, type RiskLevelDef } from './data';
import type { Filters } from './query';
import './filters.css';
import { useDebouncedText } from './useDebouncedText';

export type FilterField = 'q' | 'unit' | 'risk_area' | 'level' | 'residual_level' | 'decision' | 'measure_type' | 'state';

interface Props {
  idPrefix: string;
  /** accessible name of the search landmark */
  label: string;
  fields: FilterField[];
  values: Filters;
  onChange: (patch: Partial<Filters>) => void;
  onReset: () => void;
  refs?: Refs;
  measureTypes?: MeasureType[];
  levels: RiskLevelDef[];
  /** the live result count, shown under the fields */
  status?: ReactNode;
  debounceMs?: number;
}

interface Option {
  value: string;
  label: string;
}

function SelectField({ id, label, value, options, any, onChange }: { id: string; label: string; value: string; options: Option[]; any: string; onChange: (v: string) => void }) {
  // a value from the URL that is not among the options is still shown, so the filter in force is never hidden
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <div className="select-wrapper filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterForm({ idPrefix, label, fields, values, onChange, onReset, refs, measureTypes, levels, status, debounceMs = 250 }: Props) {
  const { t } = useTranslation('register');
  const search = useDebouncedText(values.q, (q) => onChange({ q }), debounceMs);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    search.flush();
  };

  const levelOptions: Option[] = levels.map((l) => ({ value: l.code, label: t(`common:levels.${l.code}`, { defaultValue: l.label }) }));
  const byCode = (a: Option, b: Option) => collator.compare(a.value, b.value);
  const id = (f: string) => `${idPrefix}-${f}`;
  const has = (f: FilterField) => fields.includes(f);

  return (
    <form role="search" aria-label={label} className="filter-form" onSubmit={submit} noValidate>
      <div className="row g-3 align-items-start">
        {has('q') && (
          <div className="col-12 col-lg-6 col-xxl-4">
            <div className="form-group filter-field mb-0">
              <label htmlFor={id('q')} className="active">
                {t('filters.q')}
              </label>
              <input id={id('q')} type="search" className="form-control" value={search.text} onChange={(e) => search.change(e.target.value)} aria-describedby={id('q-hint')} autoComplete="off" />
              <small id={id('q-hint')} className="form-text">
                {t('filters.qHint')}
              </small>
            </div>
          </div>
        )}
        {has('unit') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('unit')}
              label={t('filters.unit')}
              value={values.unit}
              any={t('filters.any')}
              onChange={(v) => onChange({ unit: v })}
              options={(refs?.units ?? []).map((u) => ({ value: u.code, label: `${u.code} – ${u.title}` }))}
            />
          </div>
        )}
        {has('risk_area') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('risk_area')}
              label={t('filters.riskArea')}
              value={values.risk_area}
              any={t('filters.any')}
              onChange={(v) => onChange({ risk_area: v })}
              options={(refs?.areas ?? []).map((a) => ({ value: a.code, label: `${a.code} – ${a.title}` }))}
            />
          </div>
        )}
        {has('level') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField id={id('level')} label={t('filters.level')} value={values.level} any={t('filters.anyMasc')} onChange={(v) => onChange({ level: v, inherent_cell: '' })} options={levelOptions} />
          </div>
        )}
        {has('residual_level') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('residual_level')}
              label={t('filters.residualLevel')}
              value={values.residual_level}
              any={t('filters.anyMasc')}
              onChange={(v) => onChange({ residual_level: v, residual_cell: '' })}
              options={levelOptions}
            />
          </div>
        )}
        {has('decision') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('decision')}
              label={t('filters.decision')}
              value={values.decision}
              any={t('filters.any')}
              onChange={(v) => onChange({ decision: v })}
              options={decisions.map((d) => ({ value: d, label: t(`decisions.${d}`) }))}
            />
          </div>
        )}
        {has('measure_type') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('measure_type')}
              label={t('filters.measureType')}
              value={values.measure_type}
              any={t('filters.any')}
              onChange={(v) => onChange({ measure_type: v })}
              options={(measureTypes ?? [])
                .filter((m) => m.code)
                .map((m) => ({ value: m.code!, label: `${m.code} – ${m.name ?? ''}` }))
                .sort(byCode)}
            />
          </div>
        )}
        {has('state') && (
          <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
            <SelectField
              id={id('state')}
              label={t('filters.state')}
              value={values.state}
              any={t('filters.anyMasc')}
              onChange={(v) => onChange({ state: v })}
              options={assessmentStates.map((s) => ({ value: s, label: t(`common:states.${s}`) }))}
            />
          </div>
        )}
      </div>
      <div className="d-flex flex-wrap align-items-center gap-3 mt-3">
        {status}
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          onClick={() => {
            search.clear();
            onReset();
          }}
        >
          {t('filters.reset')}
        </button>
      </div>
    </form>
  );
}
