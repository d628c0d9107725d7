// One treatment measure: general (from MG01..MG15) or specific, its type, responsible unit and owner, dates,
// implementation phases with deadlines and monitoring indicators with baseline and target.
import { memo, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { refLabel, useEditorContext } from './data';
import { FieldErrors, SelectField, TextField, describedBy, errorId } from './fields';
import { measureStatuses, suggestedFactors, type MeasureDraft, type MeasureStatus } from './model';
import { ids } from './paths';
import { ProgrammePicker } from './ProgrammePicker';
import { useEditor, useFieldErrors, useStore } from './store';

/** A measure's status in words; a measure stored without one (or with one unknown here) is a new one. */
export function statusLabel(s: string | undefined, t: (k: string) => string): string {
  switch (s) {
    case 'existing_confirmed':
      return t('measureStatus.existing_confirmed');
    case 'modified':
      return t('measureStatus.modified');
    case 'dropped':
      return t('measureStatus.dropped');
    default:
      return t('measureStatus.new');
  }
}

export function missingLabel(code: string, t: (k: string) => string): string {
  switch (code) {
    case 'phases':
      return t('missing.phases');
    case 'dates':
      return t('missing.dates');
    case 'unit':
      return t('missing.unit');
    case 'indicator_target':
      return t('missing.indicator_target');
  }
  return code;
}

function Nature({ m }: { m: MeasureDraft }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const id = ids.measureField(m.uid, 'nature');
  const errors = useFieldErrors(id);
  return (
    <fieldset id={id} className="mb-3">
      <legend className="h6">{t('measure.nature')}</legend>
      {(['specific', 'general'] as const).map((n) => {
        const oid = `${id}-${n}`;
        return (
          <div className="form-check form-check-inline" key={n}>
            <input
              type="radio"
              id={oid}
              name={id}
              checked={m.nature === n}
              aria-describedby={describedBy(errors.length > 0 && errorId(id))}
              onChange={() => {
                store.updateMeasure(m.uid, (x) => ({ ...x, nature: n }));
                store.clearError(id);
              }}
            />
            <label htmlFor={oid}>{n === 'general' ? t('measure.natureGeneral') : t('measure.natureSpecific')}</label>
          </div>
        );
      })}
      <FieldErrors id={id} errors={errors} />
    </fieldset>
  );
}

/**
 * The enabling factors the measure addresses, as checkboxes with the catalogue's labels. The factors of the risks
 * the measure treats are suggested: marked, and selected in one step while the measure names none.
 */
function MeasureFactors({ m }: { m: MeasureDraft }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const { catalogues } = useEditorContext();
  const id = ids.measureField(m.uid, 'factors');
  const errors = useFieldErrors(id);
  // A string, so the card re-renders only when the suggestion changes, not at every edit of a risk.
  const suggestion = useEditor((s) => suggestedFactors(m, Object.values(s.risks)).join(';'));
  const suggested = suggestion ? suggestion.split(';') : [];
  const known = new Set(catalogues.factors.map((f) => f.code));
  const unknown = m.enablingFactors.filter((c) => !known.has(c));
  const toggle = (code: string, on: boolean) => {
    store.updateMeasure(m.uid, (x) => ({ ...x, enablingFactors: on ? [...x.enablingFactors, code] : x.enablingFactors.filter((c) => c !== code) }));
    store.clearError(id);
  };
  return (
    <fieldset id={id} className="mb-3" aria-describedby={describedBy(`${id}-hint`, errors.length > 0 && errorId(id))}>
      <legend className="h6">{t('measure.factors')}</legend>
      <p id={`${id}-hint`} className="small text-muted mb-1">
        {t('measure.factorsHint')}
        {suggested.length > 0 && ` ${t('measure.factorsSuggested', { list: suggested.join(', ') })}`}
      </p>
      {suggested.length > 0 && m.enablingFactors.length === 0 && (
        <button
          type="button"
          className="btn btn-outline-primary btn-sm mb-2"
          onClick={() => {
            store.updateMeasure(m.uid, (x) => ({ ...x, enablingFactors: [...suggested] }));
            store.clearError(id);
          }}
        >
          {t('measure.factorsApply')}
        </button>
      )}
      {[...catalogues.factors.map((f) => ({ code: f.code, description: f.description })), ...unknown.map((c) => ({ code: c, description: '' }))].map((f) => {
        const fid = `${id}-${f.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        return (
          <div className="form-check my-1" key={f.code}>
            <input type="checkbox" id={fid} checked={m.enablingFactors.includes(f.code)} onChange={(e) => toggle(f.code, e.target.checked)} />
            <label htmlFor={fid}>
              {f.description ? `${f.code} – ${f.description}` : f.code}
              {suggested.includes(f.code) && <span className="badge bg-light text-dark border ms-2">{t('measure.factorSuggested')}</span>}
            </label>
          </div>
        );
      })}
      <FieldErrors id={id} errors={errors} />
    </fieldset>
  );
}

/**
 * A measure's list of rows (phases, indicators): the fields of each row (the children) with its remove button, then
 * the add button. Focus follows the change: to the new row's first field, or to the add button after a removal.
 */
function RowList<T>({
  id,
  className,
  legend,
  empty,
  items,
  addId,
  addLabel,
  onAdd,
  firstFieldOf,
  removeLabel,
  onRemove,
  children,
}: {
  id: string;
  className: string;
  legend: string;
  empty: string;
  items: T[];
  addId: string;
  addLabel: string;
  onAdd: () => void;
  /** the id of the first field of row j */
  firstFieldOf: (j: number) => string;
  removeLabel: (j: number) => string;
  onRemove: (j: number) => void;
  children: (item: T, j: number) => ReactNode;
}) {
  const focusLater = (target: string) => window.setTimeout(() => document.getElementById(target)?.focus(), 0);
  return (
    <fieldset id={id} className={className}>
      <legend className="h6">{legend}</legend>
      {items.length === 0 && <p className="small mb-2">{empty}</p>}
      {items.map((item, j) => (
        <div className="row align-items-end sub-row" key={j}>
          {children(item, j)}
          <div className="col-md-2 mb-3">
            <button
              type="button"
              className="btn btn-link px-0"
              onClick={() => {
                onRemove(j);
                focusLater(addId);
              }}
            >
              {removeLabel(j)}
            </button>
          </div>
        </div>
      ))}
      <button
        type="button"
        id={addId}
        className="btn btn-outline-primary btn-sm"
        onClick={() => {
          onAdd();
          focusLater(firstFieldOf(items.length));
        }}
      >
        {addLabel}
      </button>
    </fieldset>
  );
}

export const MeasureEditor = memo(function MeasureEditor({ uid, index, onRemove }: { uid: string; index: number; onRemove: (uid: string, index: number) => void }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const m = useEditor((s) => s.measures[uid]);
  const { catalogues, refs, nodeUnits, nodeObjectives } = useEditorContext();
  const headingId = useId();
  if (!m) return null;
  const set = (fn: (x: MeasureDraft) => MeasureDraft) => store.updateMeasure(uid, fn);
  const field = (f: Parameters<typeof ids.measureField>[1]) => ids.measureField(uid, f);
  const type = catalogues.measureTypes.find((x) => x.code === m.type);
  const units = refs?.units.length ? refs.units.map((u) => u.code) : nodeUnits;
  const unitOptions = [...nodeUnits, ...units.filter((u) => !nodeUnits.includes(u))];
  if (m.unit && !unitOptions.includes(m.unit)) unitOptions.push(m.unit);
  const objectiveOptions = [...nodeObjectives, ...(refs?.objectives ?? []).map((o) => o.code).filter((c) => !nodeObjectives.includes(c))];
  if (m.strategicObjective && !objectiveOptions.includes(m.strategicObjective)) objectiveOptions.push(m.strategicObjective);
  const n = index + 1;
  return (
    <section id={ids.measure(uid)} tabIndex={-1} className="measure-card card-wrapper mb-4" aria-labelledby={headingId} data-testid="measure-entry">
      <div className="card card-bg p-3 p-md-4">
        <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
          <h3 id={headingId} className="h4 mb-3">
            {m.title.trim() ? t('measure.headingTitled', { n, title: m.title }) : t('measure.heading', { n })}
          </h3>
          <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => onRemove(uid, index)}>
            {t('measure.remove', { n })}
          </button>
        </div>
        {m.missing && m.missing.length > 0 && (
          <p className="small alert alert-warning py-2">{t('measure.missing', { list: m.missing.map((c) => missingLabel(c, t)).join(', ') })}</p>
        )}
        <TextField id={field('title')} label={t('measure.title')} value={m.title} onChange={(v) => set((x) => ({ ...x, title: v }))} required />
        <Nature m={m} />
        {m.nature === 'general' && <ProgrammePicker m={m} />}
        {m.nature === 'general' && m.programmeMeasure && <p className="small alert alert-info py-2">{t('measure.linkedToProgramme')}</p>}
        {m.nature === 'general' && (
          <SelectField
            id={field('general')}
            label={t('measure.general')}
            value={m.generalCode}
            required
            onChange={(v) =>
              set((x) => {
                const g = catalogues.generalMeasures.find((y) => y.code === v);
                return { ...x, generalCode: v, type: x.type || g?.measure_type || '', title: x.title || g?.name || '' };
              })
            }
          >
            <option value="">{t('judgement.choose')}</option>
            {catalogues.generalMeasures.map((g) => (
              <option key={g.code} value={g.code}>{`${g.code} – ${g.name}`}</option>
            ))}
          </SelectField>
        )}
        <SelectField id={field('type')} label={t('measure.type')} value={m.type} required onChange={(v) => set((x) => ({ ...x, type: v }))} hint={type?.example_indicator ? t('measure.typeHint', { example: type.example_indicator }) : undefined}>
          <option value="">{t('judgement.choose')}</option>
          {catalogues.measureTypes.map((x) => (
            <option key={x.code} value={x.code}>{`${x.code} – ${x.name}`}</option>
          ))}
        </SelectField>
        <TextField id={field('description')} label={t('measure.description')} hint={t('measure.descriptionHint')} value={m.description} onChange={(v) => set((x) => ({ ...x, description: v }))} multiline rows={3} />
        <div className="row">
          <div className="col-md-6">
            <SelectField id={field('unit')} label={t('measure.unit')} value={m.unit} onChange={(v) => set((x) => ({ ...x, unit: v }))}>
              <option value="">{t('measure.noUnit')}</option>
              {unitOptions.map((u) => (
                <option key={u} value={u}>
                  {refLabel(refs?.units, u)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="col-md-6">
            <TextField id={field('owner')} label={t('measure.owner')} hint={t('measure.ownerHint')} value={m.owner} onChange={(v) => set((x) => ({ ...x, owner: v }))} />
          </div>
          <div className="col-md-6">
            <TextField id={field('start')} label={t('measure.start')} type="date" value={m.start} onChange={(v) => set((x) => ({ ...x, start: v }))} />
          </div>
          <div className="col-md-6">
            <TextField id={field('end')} label={t('measure.end')} type="date" value={m.end} onChange={(v) => set((x) => ({ ...x, end: v }))} />
          </div>
          <div className="col-md-6">
            <SelectField id={field('status')} label={t('measure.status')} value={m.status} onChange={(v) => set((x) => ({ ...x, status: v as MeasureStatus }))}>
              {measureStatuses.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s, t)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="col-md-6">
            <SelectField id={field('objective')} label={t('measure.objective')} value={m.strategicObjective} onChange={(v) => set((x) => ({ ...x, strategicObjective: v }))}>
              <option value="">{t('measure.noObjective')}</option>
              {objectiveOptions.map((o) => (
                <option key={o} value={o}>
                  {refLabel(refs?.objectives, o)}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
        <TextField id={field('costNote')} label={t('measure.costNote')} hint={t('measure.costNoteHint')} value={m.costNote} onChange={(v) => set((x) => ({ ...x, costNote: v }))} multiline rows={2} />
        <MeasureFactors m={m} />

        <RowList
          id={ids.phases(uid)}
          className="mb-3"
          legend={t('measure.phases', { n })}
          empty={t('measure.noPhases')}
          items={m.phases}
          addId={`${uid}-add-phase`}
          addLabel={t('measure.addPhase')}
          onAdd={() => set((x) => ({ ...x, phases: [...x.phases, { title: '', start: '', deadline: '' }] }))}
          firstFieldOf={(j) => ids.phase(uid, j, 'title')}
          removeLabel={(j) => t('measure.removePhase', { n: j + 1 })}
          onRemove={(j) => set((x) => ({ ...x, phases: x.phases.filter((_, k) => k !== j) }))}
        >
          {(ph, j) => {
            const setPhase = (patch: Partial<typeof ph>) => set((x) => ({ ...x, phases: x.phases.map((p, k) => (k === j ? { ...p, ...patch } : p)) }));
            return (
              <>
                <div className="col-md-4">
                  <TextField id={ids.phase(uid, j, 'title')} label={t('measure.phaseTitle', { n: j + 1 })} value={ph.title} required onChange={(v) => setPhase({ title: v })} />
                </div>
                <div className="col-md-3">
                  <TextField id={ids.phase(uid, j, 'start')} label={t('measure.phaseStart', { n: j + 1 })} type="date" value={ph.start} onChange={(v) => setPhase({ start: v })} />
                </div>
                <div className="col-md-3">
                  <TextField id={ids.phase(uid, j, 'deadline')} label={t('measure.phaseDeadline', { n: j + 1 })} type="date" value={ph.deadline} required onChange={(v) => setPhase({ deadline: v })} />
                </div>
              </>
            );
          }}
        </RowList>

        <RowList
          id={ids.measureIndicators(uid)}
          className="mb-1"
          legend={t('measure.indicators', { n })}
          empty={t('measure.noIndicators')}
          items={m.indicators}
          addId={`${uid}-add-indicator`}
          addLabel={t('measure.addIndicator')}
          onAdd={() => set((x) => ({ ...x, indicators: [...x.indicators, { name: '', baseline: '', target: '' }] }))}
          firstFieldOf={(j) => ids.measureIndicator(uid, j, 'name')}
          removeLabel={(j) => t('measure.removeIndicator', { n: j + 1 })}
          onRemove={(j) => set((x) => ({ ...x, indicators: x.indicators.filter((_, k) => k !== j) }))}
        >
          {(ind, j) => {
            const setIndicator = (patch: Partial<typeof ind>) => set((x) => ({ ...x, indicators: x.indicators.map((p, k) => (k === j ? { ...p, ...patch } : p)) }));
            return (
              <>
                <div className="col-md-5">
                  <TextField id={ids.measureIndicator(uid, j, 'name')} label={t('measure.indicatorName', { n: j + 1 })} value={ind.name} required onChange={(v) => setIndicator({ name: v })} />
                </div>
                <div className="col-md-2">
                  <TextField id={ids.measureIndicator(uid, j, 'baseline')} label={t('measure.indicatorBaseline', { n: j + 1 })} value={ind.baseline} onChange={(v) => setIndicator({ baseline: v })} />
                </div>
                <div className="col-md-3">
                  <TextField id={ids.measureIndicator(uid, j, 'target')} label={t('measure.indicatorTarget', { n: j + 1 })} value={ind.target} onChange={(v) => setIndicator({ target: v })} />
                </div>
              </>
            );
          }}
        </RowList>
      </div>
    </section>
  );
});
