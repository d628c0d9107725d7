// The filters of the register, shared with the heat map: a labelled search form whose selects apply at once and
// whose text field applies after a short pause (or on Enter), so typing does not re-filter on every key. Its
// frame (SearchForm) and selects (FilterSelect) also make the process map's filters.
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeasureType, RefItem } from '../api/schema.gen';
import { collator } from '../lib/format';
import { assessmentStates, decisions, type Refs, type RiskLevelDef } from '../lib/register/data';
import type { Filters } from '../lib/register/query';
import './filters.css';
import { useDebouncedText } from '../lib/register/useDebouncedText';

export type FilterField = 'q' | 'unit' | 'risk_area' | 'level' | 'residual_level' | 'decision' | 'measure_type' | 'state' | 'marker';

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

/** The options of a select of reference items (units, risk areas, objectives): "code – title". */
export const refOptions = (items: RefItem[] | undefined): Option[] => (items ?? []).map((r) => ({ value: r.code, label: `${r.code} – ${r.title}` }));

/** A select of a filter form, in its column of the form's row. */
export function FilterSelect({ id, label, value, options, any, onChange }: { id: string; label: string; value: string; options: Option[]; any: string; onChange: (v: string) => void }) {
  // a value from the URL that is not among the options is still shown, so the filter in force is never hidden
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <div className="col-12 col-md-6 col-lg-3 col-xxl-2">
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
    </div>
  );
}

/**
 * The frame of a filter form: a search landmark with the text search first (applied after a pause, or on Enter),
 * then the other fields (the children, FilterSelects), then the live count and the reset button, which also
 * empties the text search.
 */
export function SearchForm({
  label,
  search,
  status,
  resetLabel,
  onReset,
  debounceMs = 250,
  children,
}: {
  /** accessible name of the search landmark */
  label: string;
  /** the text search (`show: false` leaves it out) */
  search: { id: string; label: string; hint: string; value: string; onChange: (q: string) => void; show?: boolean };
  status?: ReactNode;
  resetLabel: string;
  onReset: () => void;
  debounceMs?: number;
  children: ReactNode;
}) {
  const text = useDebouncedText(search.value, search.onChange, debounceMs);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    text.flush();
  };
  return (
    <form role="search" aria-label={label} className="filter-form" onSubmit={submit} noValidate>
      <div className="row g-3 align-items-start">
        {search.show !== false && (
          <div className="col-12 col-lg-6 col-xxl-4">
            <div className="form-group filter-field mb-0">
              <label htmlFor={search.id} className="active">
                {search.label}
              </label>
              <input id={search.id} type="search" className="form-control" value={text.text} onChange={(e) => text.change(e.target.value)} aria-describedby={`${search.id}-hint`} autoComplete="off" />
              <small id={`${search.id}-hint`} className="form-text">
                {search.hint}
              </small>
            </div>
          </div>
        )}
        {children}
      </div>
      <div className="d-flex flex-wrap align-items-center gap-3 mt-3">
        {status}
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          onClick={() => {
            text.clear();
            onReset();
          }}
        >
          {resetLabel}
        </button>
      </div>
    </form>
  );
}

export function FilterForm({ idPrefix, label, fields, values, onChange, onReset, refs, measureTypes, levels, status, debounceMs }: Props) {
  const { t } = useTranslation('register');
  const levelOptions: Option[] = levels.map((l) => ({ value: l.code, label: t(`common:levels.${l.code}`, { defaultValue: l.label }) }));
  const byCode = (a: Option, b: Option) => collator.compare(a.value, b.value);
  const id = (f: string) => `${idPrefix}-${f}`;
  const has = (f: FilterField) => fields.includes(f);

  return (
    <SearchForm
      label={label}
      search={{ id: id('q'), label: t('filters.q'), hint: t('filters.qHint'), value: values.q, onChange: (q) => onChange({ q }), show: has('q') }}
      status={status}
      resetLabel={t('filters.reset')}
      onReset={onReset}
      debounceMs={debounceMs}
    >
      {has('unit') && (
        <FilterSelect
          id={id('unit')}
          label={t('filters.unit')}
          value={values.unit}
          any={t('filters.any')}
          onChange={(v) => onChange({ unit: v })}
          options={refOptions(refs?.units)}
        />
      )}
      {has('risk_area') && (
        <FilterSelect
          id={id('risk_area')}
          label={t('filters.riskArea')}
          value={values.risk_area}
          any={t('filters.any')}
          onChange={(v) => onChange({ risk_area: v })}
          options={refOptions(refs?.areas)}
        />
      )}
      {has('marker') && (
        <FilterSelect
          id={id('marker')}
          label={t('filters.marker')}
          value={values.marker}
          any={t('filters.anyMasc')}
          onChange={(v) => onChange({ marker: v })}
          options={[
            { value: '*', label: t('filters.markerMandatory') },
            { value: '**', label: t('filters.markerPriority') },
            { value: 'none', label: t('filters.markerNone') },
          ]}
        />
      )}
      {has('level') && (
        <FilterSelect id={id('level')} label={t('filters.level')} value={values.level} any={t('filters.anyMasc')} onChange={(v) => onChange({ level: v, inherent_cell: '' })} options={levelOptions} />
      )}
      {has('residual_level') && (
        <FilterSelect
          id={id('residual_level')}
          label={t('filters.residualLevel')}
          value={values.residual_level}
          any={t('filters.anyMasc')}
          onChange={(v) => onChange({ residual_level: v, residual_cell: '' })}
          options={levelOptions}
        />
      )}
      {has('decision') && (
        <FilterSelect
          id={id('decision')}
          label={t('filters.decision')}
          value={values.decision}
          any={t('filters.any')}
          onChange={(v) => onChange({ decision: v })}
          options={decisions.map((d) => ({ value: d, label: t(`decisions.${d}`) }))}
        />
      )}
      {has('measure_type') && (
        <FilterSelect
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
      )}
      {has('state') && (
        <FilterSelect
          id={id('state')}
          label={t('filters.state')}
          value={values.state}
          any={t('filters.anyMasc')}
          onChange={(v) => onChange({ state: v })}
          options={assessmentStates.map((s) => ({ value: s, label: t(`common:states.${s}`) }))}
        />
      )}
    </SearchForm>
  );
}
