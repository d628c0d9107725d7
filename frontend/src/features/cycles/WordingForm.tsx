// Correction of the wording of the cycle's profile while the methodology is "non confermata": the RPCT rewrites
// the profile's name, the indicators' names and questions, the answers' labels and descriptions and the risk levels'
// labels. The rules (codes, values, aggregation, matrix, bands) are not editable here: the server refuses any change
// to them (422 naming the field) and refuses every correction once the methodology is confirmed (409).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Methodology, Profile } from '../../api/schema.gen';
import { ProblemAlert, TextArea, TextField, apiFieldErrors, focusFirstInvalid, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';

interface Level {
  value: number;
  label: string;
  description?: string;
}
interface Indicator {
  code: string;
  name: string;
  question: string;
  levels: Level[];
}

const clone = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export function WordingForm({ cycle, methodology, onSaved, onCancel }: { cycle: string; methodology: Methodology; onSaved: (m: Methodology) => void; onCancel: () => void }) {
  const { t } = useTranslation('cycles');
  const [p, setP] = useState<Profile>(() => clone(methodology.profile ?? {}));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'wording-form';

  const axes = ['likelihood_indicators', 'impact_indicators'] as const;
  const inds = (axis: (typeof axes)[number]) => (p[axis] ?? []) as unknown as Indicator[];
  const setInd = (axis: (typeof axes)[number], i: number, patch: Partial<Indicator>) =>
    setP((x) => ({ ...x, [axis]: inds(axis).map((ind, k) => (k === i ? { ...ind, ...patch } : ind)) }));
  const levels = (p.risk_levels ?? []) as Array<{ code: string; label: string; rank: number }>;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      const next = await api.call<Methodology>('PUT /api/v1/cycles/:cycle/methodology/wording', { params: { cycle }, body: { profile: p, version: methodology.version ?? 0 } });
      announce(t('methodology.wording.saved'));
      onSaved(next);
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'cycles', (path) => path.replace(/^profile\./, 'w.'));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(document.getElementById(formId) as HTMLFormElement | null);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id={formId} onSubmit={submit} noValidate aria-labelledby="wording-title" className="mt-3">
      <h3 id="wording-title" className="h5">
        {t('methodology.wording.title')}
      </h3>
      <p className="small">{t('methodology.wording.hint')}</p>
      <TextField id="w.name" label={t('methodology.wording.name')} value={p.name ?? ''} required error={errors['w.name']} onChange={(v) => setP({ ...p, name: v })} />
      {axes.map((axis) => (
        <fieldset key={axis} className="mb-3">
          <legend className="h6">{t(`methodology.wording.${axis}`)}</legend>
          {inds(axis).map((ind, i) => {
            const path = `w.${axis}[${i}]`;
            return (
              <fieldset key={ind.code} className="border rounded p-2 mb-2">
                <legend className="h6 float-none w-auto px-1">{ind.code}</legend>
                <TextField id={`${path}.name`} label={t('methodology.wording.indicatorName')} value={ind.name} required error={errors[`${path}.name`]} onChange={(v) => setInd(axis, i, { name: v })} />
                <TextArea id={`${path}.question`} label={t('methodology.wording.question')} rows={2} value={ind.question} error={errors[`${path}.question`]} onChange={(v) => setInd(axis, i, { question: v })} />
                {ind.levels.map((l, j) => (
                  <TextField
                    key={l.value}
                    id={`${path}.levels[${j}].label`}
                    label={t('methodology.wording.answer', { value: l.value })}
                    value={l.label}
                    required
                    error={errors[`${path}.levels[${j}].label`]}
                    onChange={(v) => setInd(axis, i, { levels: ind.levels.map((x, k) => (k === j ? { ...x, label: v } : x)) })}
                  />
                ))}
              </fieldset>
            );
          })}
        </fieldset>
      ))}
      <fieldset className="mb-3">
        <legend className="h6">{t('methodology.wording.levels')}</legend>
        {levels.map((l, i) => (
          <TextField key={l.code} id={`w.risk_levels[${i}].label`} label={t('methodology.wording.level', { code: l.code })} value={l.label} required error={errors[`w.risk_levels[${i}].label`]}
            onChange={(v) => setP({ ...p, risk_levels: levels.map((x, k) => (k === i ? { ...x, label: v } : x)) })} />
        ))}
      </fieldset>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common:status.saving') : t('methodology.wording.save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('methodology.wording.cancel')}
        </button>
      </div>
      <ProblemAlert error={failure} ns="cycles" />
    </form>
  );
}
