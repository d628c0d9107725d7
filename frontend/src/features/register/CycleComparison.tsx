// The year-over-year comparison of the register (GET /cycles/:cycle/comparison): levels that rose or fell per
// leaf, measures added, withdrawn and carried over, and the monitoring outcome of each cycle. Loaded on request:
// it reads two whole registers.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CycleComparison as Comparison } from '../../api/schema.gen';
import { ProblemAlert, TextField } from '../../components/FormKit';
import { announce } from '../../lib/announce';

const statuses = ['attuata', 'parzialmente_attuata', 'in_corso_nei_tempi', 'in_ritardo', 'non_avviata', 'non_attuata', 'non_piu_applicabile'] as const;

export function CycleComparison({ cycle }: { cycle: string }) {
  const { t } = useTranslation('register');
  const [withCycle, setWithCycle] = useState('');
  const [data, setData] = useState<Comparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const c = await api.call<Comparison>('GET /api/v1/cycles/:cycle/comparison', { params: { cycle }, query: { with: withCycle.trim() || undefined } });
      setData(c);
      announce(t('comparison.loaded', { from: c.from, to: c.to }));
    } catch (err) {
      setData(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const counts = data?.counts;
  return (
    <section className="register-comparison mt-4" aria-labelledby="register-comparison-title">
      <h2 id="register-comparison-title" className="h5">
        {t('comparison.heading')}
      </h2>
      <p className="small mb-2">{t('comparison.note')}</p>
      <form onSubmit={submit} className="d-flex flex-wrap gap-2 align-items-end" noValidate>
        <TextField id="comparison-with" label={t('comparison.with')} hint={t('comparison.withHint')} value={withCycle} onChange={setWithCycle} placeholder="2025-2027" />
        <div className="mb-3">
          <button type="submit" className="btn btn-outline-primary btn-sm" aria-busy={busy} aria-disabled={busy || undefined} data-testid="comparison-submit">
            {busy ? t('comparison.loading') : t('comparison.show')}
          </button>
        </div>
      </form>
      <ProblemAlert error={error} ns="register" />
      {data && counts && (
        <div data-testid="comparison-result">
          <table className="table stack-table table-sm w-auto">
            <caption>{t('comparison.summary', { from: data.from, to: data.to })}</caption>
            <tbody>
              {(
                [
                  ['rose', counts.rose],
                  ['fell', counts.fell],
                  ['unchanged', counts.unchanged],
                  ['new_leaves', counts.new_leaves],
                  ['removed_leaves', counts.removed_leaves],
                  ['measures_added', counts.measures_added],
                  ['measures_carried_over', counts.measures_carried_over],
                  ['measures_withdrawn', counts.measures_withdrawn],
                ] as const
              ).map(([key, n]) => (
                <tr key={key}>
                  <th scope="row" className="fw-normal">
                    {t(`comparison.counts.${key}`)}
                  </th>
                  <td className="text-end">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.leaves.length > 0 && (
            <div className="register-scroll" tabIndex={0} role="region" aria-label={t('comparison.leavesCaption')}>
              <table className="table stack-table table-sm">
                <caption>{t('comparison.leavesCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('comparison.leaf')}</th>
                    <th scope="col">{t('comparison.levelIn', { cycle: data.from })}</th>
                    <th scope="col">{t('comparison.levelIn', { cycle: data.to })}</th>
                    <th scope="col">{t('comparison.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.leaves.map((l) => (
                    <tr key={l.code}>
                      <td>
                        {l.code} {l.title}
                      </td>
                      <td>{l.from_label || l.from_level || '—'}</td>
                      <td>{l.to_label || l.to_level || '—'}</td>
                      <td>{t(`comparison.changes.${l.change}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <table className="table stack-table table-sm w-auto">
            <caption>{t('comparison.monitoring')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('comparison.status')}</th>
                <th scope="col">{data.from}</th>
                <th scope="col">{data.to}</th>
              </tr>
            </thead>
            <tbody>
              {statuses.map((s) => (
                <tr key={s}>
                  <th scope="row" className="fw-normal">
                    {t(`comparison.statuses.${s}`)}
                  </th>
                  <td className="text-end">{data.monitoring_from[s] ?? 0}</td>
                  <td className="text-end">{data.monitoring_to[s] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.measures.length > 0 && (
            <div className="register-scroll" tabIndex={0} role="region" aria-label={t('comparison.measuresCaption')}>
              <table className="table stack-table table-sm">
                <caption>{t('comparison.measuresCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('comparison.leaf')}</th>
                    <th scope="col">{t('comparison.measure')}</th>
                    <th scope="col">{t('comparison.type')}</th>
                    <th scope="col">{t('comparison.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.measures.map((m, i) => (
                    <tr key={`${m.leaf}-${i}`}>
                      <td>{m.leaf}</td>
                      <td>{m.title}</td>
                      <td>{m.type}</td>
                      <td>{t(`comparison.changes.${m.change}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
