// The level the campaign assesses, chosen before it starts: the map's leaves (actions), or its processes for
// bodies that map less finely. The server refuses the change (409) once an assessment or exclusion exists.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import { announce } from '../../lib/announce';
import { ProblemAlert } from '../../components/FormKit';

type Granularity = 'leaf' | 'process';

export function GranularitySection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const current: Granularity = cycle.granularity ?? 'leaf';
  const [value, setValue] = useState<Granularity>(current);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setDone('');
    setBusy(true);
    try {
      await api.call<Cycle>('PUT /api/v1/cycles/:cycle/granularity', { params: { cycle: cycle.code }, body: { granularity: value, version: cycle.version } });
      const msg = t('granularity.done', { level: t(`granularity.${value}`) });
      setDone(msg);
      announce(msg);
      await onChanged();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="granularity-title" className="cycle-section" data-testid="granularity-section">
      <h2 id="granularity-title" className="h4">
        {t('granularity.title')}
      </h2>
      <p>{t('granularity.intro')}</p>
      <p data-testid="granularity-current">{t('granularity.current', { level: t(`granularity.${current}`) })}</p>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend className="h6 fw-semibold">{t('granularity.legend')}</legend>
          {(['leaf', 'process'] as const).map((g) => (
            <div className="form-check" key={g}>
              <input
                className="form-check-input"
                type="radio"
                name="granularity"
                id={`granularity-${g}`}
                value={g}
                checked={value === g}
                onChange={() => setValue(g)}
                aria-describedby={`granularity-${g}-hint`}
              />
              <label className="form-check-label" htmlFor={`granularity-${g}`}>
                {t(`granularity.${g}`)}
              </label>
              <small id={`granularity-${g}-hint`} className="form-text d-block">
                {t(`granularity.${g}Hint`)}
              </small>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-outline-primary mt-2" disabled={busy || value === current}>
          {t('granularity.save')}
        </button>
      </form>
      <div aria-live="polite">{done && <p className="text-success mt-2 mb-0">{done}</p>}</div>
      <ProblemAlert error={failure} ns="cycles" />
    </section>
  );
}
