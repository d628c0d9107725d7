// The editor of a methodology profile the ente defines: general data, each axis's scale, aggregation rule and
// indicators, the risk levels, the likelihood × impact matrix (qualitative) or the P × I bands (numeric), and a
// preview of the level the rules give on example values, computed by the server with the assessment engine. The
// server validates the whole profile and names each field: its problems land on the inputs (ids = field paths).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { EnteProfile, Score } from '../../api/schema.gen';
import { CheckboxField, FieldError, ProblemAlert, SelectField, TextArea, TextField, apiFieldErrors, focusFirstInvalid, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import {
  aggregationsFor,
  defaultExamples,
  localProblems,
  newIndicator,
  nonMonotoneCells,
  resizeScale,
  toProfile,
  type Axis,
  type Indicator,
  type ProfileDraft,
} from './profileDraft';

export interface EditTarget {
  version: number;
  revision: number;
  immutable: boolean;
}

interface PreviewItem {
  score?: Score;
  problems?: Array<{ field?: string; code: string }>;
}

export function ProfileEditor({ initial, target, onSaved, onCancel }: { initial: ProfileDraft; target?: EditTarget; onSaved: (p: EnteProfile & { new_version?: boolean }) => void; onCancel: () => void }) {
  const { t } = useTranslation('methodology');
  const [d, setD] = useState<ProfileDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  // Every problem the server named, listed too: a path without an input here (e.g. a scale value) is not lost.
  const [problems, setProblems] = useState<Array<{ field: string; code: string }>>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [examples, setExamples] = useState<Array<Record<string, number>>>(() => defaultExamples(initial));
  const [preview, setPreview] = useState<PreviewItem[] | null>(null);
  const [previewFailure, setPreviewFailure] = useState<unknown>(null);
  const form = useRef<HTMLFormElement>(null);
  const set = (patch: Partial<ProfileDraft>) => {
    setD((x) => ({ ...x, ...patch }));
    setPreview(null);
  };
  const fieldOf = (p: string) => p.replace(/^profile\./, '');
  const qualitative = d.kind === 'qualitative';
  const levelLabel = (code: string) => d.risk_levels.find((l) => l.code === code)?.label || code;
  const warnings = qualitative ? nonMonotoneCells(d) : [];

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    const local = localProblems(d);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, code]) => [k, t(`fieldErrors.${code}`)])));
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setProblems([]);
    setBusy(true);
    try {
      const body = { profile: toProfile(d), version: target?.version, revision: target?.revision };
      const saved = target
        ? await api.call<EnteProfile & { new_version?: boolean }>('PUT /api/v1/methodology/ente-profiles/:code', { params: { code: d.code }, body })
        : await api.call<EnteProfile & { new_version?: boolean }>('POST /api/v1/methodology/ente-profiles', { body });
      announce(saved.new_version && target ? t('savedNewVersion', { version: saved.version }) : t('saved', { version: saved.version }));
      onSaved(saved);
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'methodology', fieldOf);
      setErrors(fe);
      if (err instanceof ApiError) setProblems(err.fieldErrors.map((p) => ({ field: fieldOf(p.field ?? ''), code: p.code })));
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  async function runPreview() {
    setPreviewFailure(null);
    try {
      const r = await api.call<{ items: PreviewItem[] }>('POST /api/v1/methodology/preview', {
        body: { profile: toProfile(d), examples: examples.map((values) => ({ values })) },
      });
      setPreview(r.items);
      announce(t('preview.done'));
    } catch (err) {
      setPreview(null);
      if (err instanceof ApiError && err.fieldErrors.length) setErrors(apiFieldErrors(t, err, 'methodology', fieldOf));
      setPreviewFailure(err);
    }
  }

  const setIndicators = (axis: Axis, inds: Indicator[]) => set({ [`${axis}_indicators`]: inds } as Partial<ProfileDraft>);
  const axisSection = (axis: Axis) => {
    const inds = d[`${axis}_indicators`];
    const scale = d[`${axis}_scale`];
    const base = `${axis}_indicators`;
    return (
      <fieldset className="methodology-axis mb-4" key={axis}>
        <legend className="h5">{t(`axis.${axis}`)}</legend>
        <SelectField id={`${axis}_aggregation`} label={t('aggregation')} value={d[`${axis}_aggregation`]} error={errors[`${axis}_aggregation`]}
          onChange={(v) => set({ [`${axis}_aggregation`]: v } as Partial<ProfileDraft>)} hint={t('aggregationHint')}>
          {aggregationsFor(d.kind, axis).map((a) => (
            <option key={a} value={a}>
              {t(`agg.${a}`)}
            </option>
          ))}
        </SelectField>
        {qualitative && (
          <>
            <TextField id={`${axis}_scale`} type="number" label={t('scaleSize')} value={String(scale.length)} error={errors[`${axis}_scale`]}
              onChange={(v) => v !== '' && set(resizeScale(d, axis, Number(v)))} hint={t('scaleSizeHint')} />
            <div className="row">
              {scale.map((l, i) => (
                <TextField key={i} className="col-md-3" id={`${axis}_scale[${i}].label`} label={t('scaleLabel', { value: l.value })} value={l.label}
                  error={errors[`${axis}_scale[${i}].label`] ?? errors[`${axis}_scale[${i}].value`]}
                  onChange={(v) => set({ [`${axis}_scale`]: scale.map((x, k) => (k === i ? { ...x, label: v } : x)) } as Partial<ProfileDraft>)} />
              ))}
            </div>
          </>
        )}
        <FieldError id={base} error={errors[base]} />
        {inds.map((ind, i) => {
          const p = `${base}[${i}]`;
          const put = (patch: Partial<Indicator>) => setIndicators(axis, inds.map((x, k) => (k === i ? { ...x, ...patch } : x)));
          return (
            <fieldset key={i} className="border rounded p-2 mb-2">
              <legend className="h6 float-none w-auto px-1">{t('indicatorN', { n: i + 1, code: ind.code })}</legend>
              <div className="row">
                <TextField className="col-md-3" id={`${p}.code`} label={t('code')} value={ind.code} required error={errors[`${p}.code`]} onChange={(v) => put({ code: v })} />
                <TextField className="col-md-9" id={`${p}.name`} label={t('indicatorName')} value={ind.name} required error={errors[`${p}.name`]} onChange={(v) => put({ name: v })} />
              </div>
              <TextArea id={`${p}.question`} label={t('question')} value={ind.question} rows={2} error={errors[`${p}.question`]} onChange={(v) => put({ question: v })} />
              <FieldError id={`${p}.levels`} error={errors[`${p}.levels`]} />
              <div className="row">
                {ind.levels.map((l, j) => (
                  <div key={j} className="col-md-6">
                    {!qualitative && (
                      <TextField id={`${p}.levels[${j}].value`} type="number" label={t('answerValue', { n: j + 1 })} value={String(l.value)} error={errors[`${p}.levels[${j}].value`]}
                        onChange={(v) => put({ levels: ind.levels.map((x, k) => (k === j ? { ...x, value: Number(v) } : x)) })} />
                    )}
                    <TextField id={`${p}.levels[${j}].label`} label={t('answerLabel', { value: l.value })} value={l.label} required
                      error={errors[`${p}.levels[${j}].label`] ?? (qualitative ? errors[`${p}.levels[${j}].value`] : undefined)}
                      onChange={(v) => put({ levels: ind.levels.map((x, k) => (k === j ? { ...x, label: v } : x)) })} />
                  </div>
                ))}
              </div>
              {!qualitative && (
                <button type="button" className="btn btn-sm btn-outline-primary me-2" onClick={() => put({ levels: [...ind.levels, { value: 5, label: '', description: '' }] })}>
                  {t('addAnswer')}
                </button>
              )}
              <button type="button" className="btn btn-sm btn-outline-danger" disabled={inds.length <= 1} onClick={() => setIndicators(axis, inds.filter((_, k) => k !== i))}>
                {t('removeIndicator', { code: ind.code })}
              </button>
            </fieldset>
          );
        })}
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setIndicators(axis, [...inds, newIndicator(d, axis)])}>
          {t('addIndicator')}
        </button>
      </fieldset>
    );
  };

  const allIndicators = [...d.likelihood_indicators, ...d.impact_indicators];
  return (
    <form ref={form} onSubmit={save} noValidate aria-labelledby="profile-editor-title" className="methodology-editor">
      <h2 id="profile-editor-title" className="h4">
        {target ? t('editTitle', { code: d.code, version: target.version }) : t('newTitle')}
      </h2>
      {problems.length > 0 && (
        <div className="alert alert-danger" data-testid="profile-problems">
          <p className="mb-1">{t('problemsTitle', { count: problems.length })}</p>
          <ul className="mb-0">
            {problems.map((p, i) => (
              <li key={i}>
                <code>{p.field || '—'}</code>: {t(`fieldErrors.${p.code}`, { defaultValue: t('fieldErrors.invalid') })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {target?.immutable && (
        <p className="alert alert-info" data-testid="immutable-note">
          {t('immutableNote', { version: target.version, next: target.version + 1 })}
        </p>
      )}
      <fieldset className="mb-4">
        <legend className="h5">{t('general')}</legend>
        <div className="row">
          {target ? (
            <p className="col-md-4">
              <strong>{t('code')}:</strong> {d.code}
            </p>
          ) : (
            <TextField className="col-md-4" id="code" label={t('code')} value={d.code} required error={errors.code} hint={t('codeHint')} onChange={(v) => set({ code: v.trim().toLowerCase() })} />
          )}
          <TextField className="col-md-8" id="name" label={t('name')} value={d.name} required error={errors.name} onChange={(v) => set({ name: v })} />
        </div>
        <SelectField id="kind" label={t('kind')} value={d.kind} error={errors.kind} onChange={(v) => set({ kind: v === 'numeric' ? 'numeric' : 'qualitative' })}>
          <option value="qualitative">{t('kindQualitative')}</option>
          <option value="numeric">{t('kindNumeric')}</option>
        </SelectField>
        <CheckboxField id="indicator_reason_required" label={t('reasonRequired')} checked={d.indicator_reason_required} onChange={(v) => set({ indicator_reason_required: v })} />
      </fieldset>

      {axisSection('likelihood')}
      {axisSection('impact')}

      <fieldset className="mb-4">
        <legend className="h5">{t('riskLevels')}</legend>
        <p className="small">{t('riskLevelsHint')}</p>
        <FieldError id="risk_levels" error={errors.risk_levels} />
        {d.risk_levels.map((l, i) => (
          <div className="row align-items-end" key={i}>
            <TextField className="col-md-4" id={`risk_levels[${i}].code`} label={t('levelCode', { n: i + 1 })} value={l.code} required error={errors[`risk_levels[${i}].code`]}
              onChange={(v) => set({ risk_levels: d.risk_levels.map((x, k) => (k === i ? { ...x, code: v } : x)) })} />
            <TextField className="col-md-6" id={`risk_levels[${i}].label`} label={t('levelLabel', { n: i + 1 })} value={l.label} required error={errors[`risk_levels[${i}].label`]}
              onChange={(v) => set({ risk_levels: d.risk_levels.map((x, k) => (k === i ? { ...x, label: v } : x)) })} />
            <div className="col-md-2 mb-3">
              <button type="button" className="btn btn-sm btn-outline-danger" disabled={d.risk_levels.length <= 2} onClick={() => set({ risk_levels: d.risk_levels.filter((_, k) => k !== i) })}>
                {t('removeLevel', { n: i + 1 })}
              </button>
            </div>
          </div>
        ))}
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => set({ risk_levels: [...d.risk_levels, { code: '', label: '', rank: d.risk_levels.length + 1 }] })}>
          {t('addLevel')}
        </button>
      </fieldset>

      {qualitative ? (
        <fieldset className="mb-4">
          <legend className="h5">{t('matrix')}</legend>
          <p className="small">{t('matrixHint')}</p>
          <FieldError id="matrix" error={errors.matrix} />
          <div className="table-responsive">
            <table className="table table-sm methodology-matrix">
              <caption className="visually-hidden">{t('matrixCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('matrixCorner')}</th>
                  {d.impact_scale.map((l) => (
                    <th scope="col" key={l.value}>
                      {l.label || l.value}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.likelihood_scale.map((rowLevel, i) => (
                  <tr key={rowLevel.value}>
                    <th scope="row">{rowLevel.label || rowLevel.value}</th>
                    {d.impact_scale.map((colLevel, j) => {
                      const id = `matrix[${i}][${j}]`;
                      const err = errors[id];
                      return (
                        <td key={colLevel.value}>
                          <select
                            id={id}
                            className={`form-select form-select-sm${err || warnings.includes(id) ? ' is-invalid' : ''}`}
                            aria-label={t('cellLabel', { l: rowLevel.label || rowLevel.value, i: colLevel.label || colLevel.value })}
                            aria-invalid={err ? true : undefined}
                            aria-describedby={err ? `${id}-error` : undefined}
                            value={d.matrix[i]?.[j] ?? ''}
                            onChange={(e) => set({ matrix: d.matrix.map((row, k) => (k === i ? row.map((c, m) => (m === j ? e.target.value : c)) : row)) })}
                          >
                            <option value="">{t('choose')}</option>
                            {d.risk_levels.map((l) => (
                              <option key={l.code} value={l.code}>
                                {l.label || l.code}
                              </option>
                            ))}
                          </select>
                          <FieldError id={id} error={err} />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {warnings.length > 0 && (
            <p className="text-danger small" data-testid="matrix-warning">
              {t('matrixNotMonotone', { count: warnings.length })}
            </p>
          )}
        </fieldset>
      ) : (
        <fieldset className="mb-4">
          <legend className="h5">{t('bands')}</legend>
          <p className="small">{t('bandsHint')}</p>
          <FieldError id="bands" error={errors.bands} />
          {d.bands.map((b, i) => (
            <div className="row" key={i}>
              <TextField className="col-md-3" type="number" id={`bands[${i}].min`} label={t('bandMin', { n: i + 1 })} value={String(b.min)} error={errors[`bands[${i}].min`] ?? errors[`bands[${i}]`]}
                onChange={(v) => set({ bands: d.bands.map((x, k) => (k === i ? { ...x, min: Number(v) } : x)) })} />
              <TextField className="col-md-3" type="number" id={`bands[${i}].max`} label={t('bandMax', { n: i + 1 })} value={String(b.max)} error={errors[`bands[${i}].max`]}
                onChange={(v) => set({ bands: d.bands.map((x, k) => (k === i ? { ...x, max: Number(v) } : x)) })} />
              <SelectField className="col-md-4" id={`bands[${i}].level`} label={t('bandLevel', { n: i + 1 })} value={b.level} error={errors[`bands[${i}].level`]}
                onChange={(v) => set({ bands: d.bands.map((x, k) => (k === i ? { ...x, level: v } : x)) })}>
                <option value="">{t('choose')}</option>
                {d.risk_levels.map((l) => (
                  <option key={l.code} value={l.code}>
                    {l.label || l.code}
                  </option>
                ))}
              </SelectField>
            </div>
          ))}
          <button type="button" className="btn btn-outline-primary btn-sm me-2" onClick={() => set({ bands: [...d.bands, { min: d.bands[d.bands.length - 1]?.max ?? 0, max: 25, level: '' }] })}>
            {t('addBand')}
          </button>
          <button type="button" className="btn btn-outline-danger btn-sm" disabled={d.bands.length <= 1} onClick={() => set({ bands: d.bands.slice(0, -1) })}>
            {t('removeBand')}
          </button>
        </fieldset>
      )}

      <section className="mb-4" aria-labelledby="preview-title">
        <h3 id="preview-title" className="h5">
          {t('preview.title')}
        </h3>
        <p className="small">{t('preview.hint')}</p>
        <div className="table-responsive">
          <table className="table table-sm">
            <caption className="visually-hidden">{t('preview.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('preview.example')}</th>
                {allIndicators.map((ind) => (
                  <th scope="col" key={ind.code}>
                    {ind.code}
                  </th>
                ))}
                <th scope="col">{t('preview.result')}</th>
              </tr>
            </thead>
            <tbody>
              {examples.map((ex, n) => {
                const r = preview?.[n];
                return (
                  <tr key={n}>
                    <th scope="row">{n + 1}</th>
                    {allIndicators.map((ind) => (
                      <td key={ind.code}>
                        <select
                          className="form-select form-select-sm"
                          aria-label={t('preview.valueOf', { code: ind.code, n: n + 1 })}
                          value={String(ex[ind.code] ?? '')}
                          onChange={(e) => {
                            setExamples(examples.map((x, k) => (k === n ? { ...x, [ind.code]: Number(e.target.value) } : x)));
                            setPreview(null);
                          }}
                        >
                          {ind.levels.map((l) => (
                            <option key={l.value} value={l.value}>
                              {l.value} – {l.label}
                            </option>
                          ))}
                        </select>
                      </td>
                    ))}
                    <td data-testid={`preview-result-${n}`}>
                      {r?.score
                        ? t('preview.level', { level: levelLabel(r.score.level ?? ''), l: r.score.likelihood, i: r.score.impact })
                        : r?.problems
                          ? t('preview.invalid')
                          : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <button type="button" className="btn btn-outline-primary me-2" onClick={runPreview}>
          {t('preview.run')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={() => setExamples([...examples, defaultExamples(d)[1]])} disabled={examples.length >= 20}>
          {t('preview.add')}
        </button>
        <ProblemAlert error={previewFailure} ns="methodology" />
      </section>

      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common:status.saving') : target?.immutable ? t('saveNewVersion') : t('save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      <ProblemAlert error={failure} ns="methodology" />
    </form>
  );
}
