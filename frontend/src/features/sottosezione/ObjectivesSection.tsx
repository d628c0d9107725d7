// Strategic anticorruption and transparency objectives (L. 190/2012 art. 1 c. 8): each with indicators, targets
// and yearly results, linked to the performance objectives of the map.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectiveIndicator, ObjectiveResult, Objectives, StrategicObjective } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { SelectField, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { idOf, isYear, type ObjectivesView } from './model';
import { PartHeader, SaveBar } from './PartStatus';
import { usePart } from './usePart';

interface DraftIndicator {
  id?: string;
  name: string;
  baseline: string;
  target: string;
  year: string;
  results: string; // one line per year: "2025; 90%; parziale"
}
interface DraftObjective {
  id?: string;
  code: string;
  kind: string;
  title: string;
  description: string;
  performance: string;
  indicators: DraftIndicator[];
}
interface Draft {
  act: string;
  objectives: DraftObjective[];
  demo?: boolean;
}

const resultsText = (rs: ObjectiveResult[]) => rs.map((r) => [r.year, r.value, r.achieved, r.note].filter((x) => x !== undefined && x !== '').join('; ')).join('\n');

export function toDraft(o: Objectives): Draft {
  return {
    act: o.act,
    demo: o.demo,
    objectives: o.objectives.map((ob) => ({
      id: ob.id,
      code: ob.code,
      kind: ob.kind,
      title: ob.title,
      description: ob.description ?? '',
      performance: ob.performance_objectives.join(', '),
      indicators: ob.indicators.map((i) => ({ id: i.id, name: i.name, baseline: i.baseline ?? '', target: i.target, year: String(i.year || ''), results: resultsText(i.results) })),
    })),
  };
}

/** Parses the results' lines ("anno; valore; esito[; nota]"); a malformed line is an error on the field. */
export function parseResults(text: string): ObjectiveResult[] | null {
  const out: ObjectiveResult[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [year, value, achieved, ...note] = line.split(';').map((x) => x.trim());
    if (!isYear(year ?? '') || !value || !['si', 'parziale', 'no'].includes(achieved ?? '')) return null;
    out.push({ year: Number(year), value, achieved: achieved as ObjectiveResult['achieved'], ...(note.length ? { note: note.join('; ') } : {}) });
  }
  return out;
}

export function fromDraft(d: Draft): { content: Objectives; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const objectives = d.objectives.map((ob, i): StrategicObjective => {
    const p = `objectives[${i}]`;
    if (!ob.code.trim()) errors[`${p}.code`] = 'required';
    if (!ob.title.trim()) errors[`${p}.title`] = 'required';
    const indicators = ob.indicators.map((ind, j): ObjectiveIndicator => {
      const q = `${p}.indicators[${j}]`;
      if (!ind.name.trim()) errors[`${q}.name`] = 'required';
      if (!ind.target.trim()) errors[`${q}.target`] = 'required';
      if (!isYear(ind.year)) errors[`${q}.year`] = 'year_invalid';
      const results = parseResults(ind.results);
      if (results === null) errors[`${q}.results`] = 'value_invalid';
      return { ...(ind.id ? { id: ind.id } : {}), name: ind.name.trim(), baseline: ind.baseline.trim(), target: ind.target.trim(), year: Number(ind.year) || 0, results: results ?? [] };
    });
    return {
      ...(ob.id ? { id: ob.id } : {}),
      code: ob.code.trim(),
      kind: ob.kind as StrategicObjective['kind'],
      title: ob.title.trim(),
      description: ob.description.trim(),
      performance_objectives: ob.performance
        .split(/[,;\s]+/)
        .map((x) => x.trim())
        .filter(Boolean),
      indicators,
    };
  });
  return { content: { act: d.act.trim(), objectives, demo: d.demo }, errors };
}

const newIndicator = (): DraftIndicator => ({ name: '', baseline: '', target: '', year: '', results: '' });

export function ObjectivesSection({ cycle, canEdit }: { cycle: string; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const p = usePart<ObjectivesView, Objectives>(cycle, 'objectives');
  const v = p.loaded.data;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [seen, setSeen] = useState<number | undefined>(undefined);
  if (v && seen !== v.version) {
    setSeen(v.version);
    setDraft(toDraft(v.content));
  }
  if (p.loaded.loading && !v) return <Loading />;
  if (!v || !draft) return <ErrorAlert error={p.loaded.error} onRetry={p.loaded.reload} />;
  const msg = (k: string) => p.errors[k];
  const setOb = (i: number, patch: Partial<DraftObjective>) => setDraft({ ...draft, objectives: draft.objectives.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  const setInd = (i: number, k: number, patch: Partial<DraftIndicator>) =>
    setOb(i, { indicators: draft.objectives[i].indicators.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
  const perf = v.computed.performance_objectives ?? [];
  return (
    <>
      <PartHeader version={v.version} demo={v.content.demo} canEdit={canEdit} />
      <form ref={p.form} noValidate onSubmit={(e) => void p.save(e, fromDraft(draft).content, fromDraft(draft).errors)}>
        <fieldset disabled={!canEdit}>
          <TextField id="obj-act" label={t('objectives.act')} hint={t('objectives.actHint')} value={draft.act} onChange={(act) => setDraft({ ...draft, act })} error={msg('act')} />
          {draft.objectives.length === 0 && <p>{t('objectives.none')}</p>}
          {draft.objectives.map((ob, i) => {
            const p0 = `objectives[${i}]`;
            return (
              <fieldset key={ob.id ?? `new-${i}`} className="border rounded p-2 mb-3">
                <legend className="h5">{t('objectives.objective', { n: i + 1 })}</legend>
                <div className="row g-2">
                  <div className="col-6 col-md-3">
                    <TextField id={idOf('obj', `${p0}.code`)} label={t('objectives.code')} value={ob.code} onChange={(code) => setOb(i, { code })} error={msg(`${p0}.code`)} required />
                  </div>
                  <div className="col-6 col-md-3">
                    <SelectField id={idOf('obj', `${p0}.kind`)} label={t('objectives.kind')} value={ob.kind} onChange={(kind) => setOb(i, { kind })} error={msg(`${p0}.kind`)} required>
                      <option value="anticorruzione">{t('objectives.kinds.anticorruzione')}</option>
                      <option value="trasparenza">{t('objectives.kinds.trasparenza')}</option>
                    </SelectField>
                  </div>
                  <div className="col-12 col-md-6">
                    <TextField id={idOf('obj', `${p0}.title`)} label={t('objectives.titleField')} value={ob.title} onChange={(title) => setOb(i, { title })} error={msg(`${p0}.title`)} required />
                  </div>
                </div>
                <TextArea id={idOf('obj', `${p0}.description`)} label={t('objectives.description')} value={ob.description} onChange={(description) => setOb(i, { description })} rows={2} />
                <TextField
                  id={idOf('obj', `${p0}.performance`)}
                  label={t('objectives.performance')}
                  hint={`${t('objectives.performanceHint')} ${perf.map((x) => x.code).join(', ')}`}
                  value={ob.performance}
                  onChange={(performance) => setOb(i, { performance })}
                  error={Object.entries(p.errors).find(([k]) => k.startsWith(`${p0}.performance_objectives`))?.[1]}
                />
                <h3 className="h6">{t('objectives.indicators')}</h3>
                {ob.indicators.map((ind, k) => {
                  const q = `${p0}.indicators[${k}]`;
                  return (
                    <fieldset key={ind.id ?? `new-${k}`} className="border-start ps-2 mb-2">
                      <legend className="h6 fw-normal">{t('objectives.indicator', { n: k + 1 })}</legend>
                      <div className="row g-2">
                        <div className="col-12 col-md-6">
                          <TextField id={idOf('obj', `${q}.name`)} label={t('objectives.indicatorName')} value={ind.name} onChange={(name) => setInd(i, k, { name })} error={msg(`${q}.name`)} required />
                        </div>
                        <div className="col-4 col-md-2">
                          <TextField id={idOf('obj', `${q}.baseline`)} label={t('objectives.baseline')} value={ind.baseline} onChange={(baseline) => setInd(i, k, { baseline })} />
                        </div>
                        <div className="col-4 col-md-2">
                          <TextField id={idOf('obj', `${q}.target`)} label={t('objectives.target')} value={ind.target} onChange={(target) => setInd(i, k, { target })} error={msg(`${q}.target`)} required />
                        </div>
                        <div className="col-4 col-md-2">
                          <TextField id={idOf('obj', `${q}.year`)} label={t('objectives.targetYear')} value={ind.year} onChange={(year) => setInd(i, k, { year })} error={msg(`${q}.year`)} required />
                        </div>
                      </div>
                      <TextArea
                        id={idOf('obj', `${q}.results`)}
                        label={t('objectives.results')}
                        hint={t('objectives.resultsHint')}
                        value={ind.results}
                        onChange={(results) => setInd(i, k, { results })}
                        error={Object.entries(p.errors).find(([key]) => key.startsWith(`${q}.results`))?.[1]}
                        rows={2}
                      />
                      {canEdit && (
                        <button type="button" className="btn btn-sm btn-outline-danger mb-2" onClick={() => setOb(i, { indicators: ob.indicators.filter((_, j) => j !== k) })}>
                          {t('remove')} <span className="visually-hidden">{t('objectives.indicator', { n: k + 1 })}</span>
                        </button>
                      )}
                    </fieldset>
                  );
                })}
                {canEdit && (
                  <div className="d-flex flex-wrap gap-2">
                    <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setOb(i, { indicators: [...ob.indicators, newIndicator()] })}>
                      {t('objectives.addIndicator')} <span className="visually-hidden">{t('objectives.objective', { n: i + 1 })}</span>
                    </button>
                    <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setDraft({ ...draft, objectives: draft.objectives.filter((_, j) => j !== i) })}>
                      {t('remove')} <span className="visually-hidden">{t('objectives.objective', { n: i + 1 })}</span>
                    </button>
                  </div>
                )}
              </fieldset>
            );
          })}
          {canEdit && (
            <button
              type="button"
              className="btn btn-sm btn-outline-primary"
              onClick={() => setDraft({ ...draft, objectives: [...draft.objectives, { code: '', kind: 'anticorruzione', title: '', description: '', performance: '', indicators: [newIndicator()] }] })}
            >
              {t('add')} <span className="visually-hidden">{t('pages.obiettivi')}</span>
            </button>
          )}
        </fieldset>
        {canEdit && <SaveBar busy={p.busy} saved={p.saved} conflict={p.conflict} failure={p.failure} />}
      </form>
    </>
  );
}
