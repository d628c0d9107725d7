// The cycle's risk-assessment methodology: the RPCT chooses a profile while the cycle is open and no assessment
// has been submitted yet (after that every leaf must be judged the same way, so the server locks it).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { Cycle, Methodology, Profile, Progress } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { ProblemAlert } from '../../components/FormKit';
import { workedExample } from './example';
import { methodologyLock } from './lifecycle';
import { WordingForm } from './WordingForm';

function ProfileSummary({ p }: { p: Profile }) {
  const { t } = useTranslation('cycles');
  const levels = (p.risk_levels ?? []).map((l) => String((l as { label?: string }).label ?? '')).filter(Boolean);
  const agg = (a?: string) => {
    switch (a) {
      case 'max':
        return t('methodology.agg.max');
      case 'mean':
        return t('methodology.agg.mean');
      case 'mode':
        return t('methodology.agg.mode');
      case 'manual':
        return t('methodology.agg.manual');
      default:
        return a ?? '';
    }
  };
  return (
    <ul className="small mb-0 methodology-summary">
      <li>{p.kind === 'numeric' ? t('methodology.kindNumeric') : t('methodology.kindQualitative')}</li>
      <li>{t('methodology.likelihood', { n: p.likelihood_indicators?.length ?? 0, agg: agg(p.likelihood_aggregation) })}</li>
      <li>{t('methodology.impact', { n: p.impact_indicators?.length ?? 0, agg: agg(p.impact_aggregation) })}</li>
      {levels.length > 0 && <li>{t('methodology.levels', { levels: levels.join(', ') })}</li>}
      <li>
        <Example p={p} />
      </li>
    </ul>
  );
}

/** The profile's rules at work on example values: the same steps the "Come è calcolato" of a level shows. */
function Example({ p }: { p: Profile }) {
  const { t } = useTranslation('cycles');
  const ex = workedExample(p);
  if (!ex) return null;
  const label = (code: string) => {
    const l = (p.risk_levels ?? []).find((x) => (x as { code?: string }).code === code) as { label?: string } | undefined;
    return l?.label ?? code;
  };
  const list = (xs: Array<{ code: string; value: number }>) => xs.map((x) => `${x.code} = ${x.value}`).join(', ');
  return (
    <details data-testid={`profile-example-${p.code}`}>
      <summary>{t('methodology.example.title')}</summary>
      <ol className="mb-0">
        <li>{t('methodology.example.likelihood', { values: list(ex.likelihood), result: ex.l })}</li>
        <li>{t('methodology.example.impact', { values: list(ex.impact), result: ex.i })}</li>
        <li>
          {ex.product !== undefined
            ? t('methodology.example.product', { l: ex.l, i: ex.i, product: ex.product, level: label(ex.level) })
            : t('methodology.example.cell', { l: ex.l, i: ex.i, level: label(ex.level) })}
        </li>
        <li>{t('methodology.example.override')}</li>
      </ol>
    </details>
  );
}

export function MethodologySection({ cycle, progress, canManage }: { cycle: Cycle; progress: Progress | undefined; canManage: boolean }) {
  const { t } = useTranslation('cycles');
  const current = useApi((signal) => api.call<Methodology>('GET /api/v1/cycles/:cycle/methodology', { params: { cycle: cycle.code }, signal }), [cycle.code]);
  const lock = methodologyLock(cycle, progress);
  const editable = canManage && lock === null;
  const profiles = useApi(
    (signal) =>
      editable
        ? api.call<{ items: Profile[] }>('GET /api/v1/methodology/profiles', { signal }).then((r) => r.items)
        : Promise.resolve([] as Profile[]),
    [editable],
  );
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);
  const [rewording, setRewording] = useState(false);

  const m = current.data;
  // The cycle's profile wording may be corrected while the methodology is "non confermata" (server: 409 after).
  const canReword = canManage && cycle.state === 'open' && !!m && !m.chosen;
  const selected = choice || m?.profile?.code || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!m || !selected) return;
    setBusy(true);
    setFailure(null);
    setSaved(false);
    try {
      const next = await api.call<Methodology>('PUT /api/v1/cycles/:cycle/methodology', {
        params: { cycle: cycle.code },
        body: { profile_code: selected, profile_version: (profiles.data ?? []).find((p) => p.code === selected)?.profile_version, version: m.version ?? 0 },
      });
      current.setData(next);
      setChoice('');
      setConflict(false);
      setSaved(true);
      announce(t('methodology.saved', { name: next.profile?.name ?? selected }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        // Someone else chose meanwhile: show theirs, keep this choice selected so one click applies it.
        setConflict(true);
        const fresh = await api.call<Methodology>('GET /api/v1/cycles/:cycle/methodology', { params: { cycle: cycle.code } }).catch(() => null);
        if (fresh) current.setData(fresh);
        setChoice(selected);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="methodology-title" className="cycle-section">
      <h2 id="methodology-title" className="h4">
        {t('methodology.title')}
      </h2>
      {current.loading && !m && <Loading />}
      <ErrorAlert error={current.error} onRetry={current.reload} />
      {m?.profile && (
        <div className="mb-3" data-testid="methodology-current">
          <p className="mb-1">
            <strong>{m.profile.name}</strong>{' '}
            <span className="badge bg-light text-dark border">{m.chosen ? t('methodology.chosen') : cycle.state === 'open' ? t('methodology.default') : t('methodology.defaultUsed')}</span>
          </p>
          <ProfileSummary p={m.profile} />
          {m.profile.profile_version ? <p className="small mb-0">{t('methodology.enteProfile', { version: m.profile.profile_version })}</p> : null}
          {canReword && !rewording && (
            <button type="button" className="btn btn-outline-primary btn-sm mt-2" onClick={() => setRewording(true)}>
              {t('methodology.wording.open')}
            </button>
          )}
          {canReword && rewording && (
            <WordingForm
              cycle={cycle.code}
              methodology={m}
              onCancel={() => setRewording(false)}
              onSaved={(next) => {
                current.setData(next);
                setRewording(false);
              }}
            />
          )}
        </div>
      )}
      {canManage && (
        <p className="small">
          <Link to="/metodologia">{t('methodology.enteProfilesLink')}</Link>
        </p>
      )}
      {lock && (
        <p className="alert alert-info" data-testid="methodology-locked">
          {lock === 'cycle_not_open' ? t('methodology.lockedState') : t('methodology.lockedSubmitted')}
        </p>
      )}
      {editable && m && (
        <form onSubmit={submit} noValidate>
          <fieldset>
            <legend className="h6 fw-semibold">{t('methodology.choose')}</legend>
            {profiles.loading && <Loading />}
            <ErrorAlert error={profiles.error} onRetry={profiles.reload} />
            {(profiles.data ?? []).map((p) => (
              <div className="form-check methodology-option" key={p.code}>
                <input
                  className="form-check-input"
                  type="radio"
                  name="methodology-profile"
                  id={`profile-${p.code}`}
                  value={p.code}
                  checked={selected === p.code}
                  onChange={() => {
                    setChoice(p.code ?? '');
                    setSaved(false);
                  }}
                  aria-describedby={`profile-${p.code}-summary`}
                />
                <label className="form-check-label" htmlFor={`profile-${p.code}`}>
                  {p.name}
                  {p.profile_version ? ` (${t('methodology.enteProfile', { version: p.profile_version })})` : ''}
                </label>
                <div id={`profile-${p.code}-summary`} className="ms-4">
                  <ProfileSummary p={p} />
                </div>
              </div>
            ))}
          </fieldset>
          {conflict && (
            <div className="alert alert-warning" role="alert">
              {t('methodology.conflict', { name: m.profile?.name ?? '' })}
            </div>
          )}
          <p className="small">{t('methodology.lockWarning')}</p>
          <button type="submit" className="btn btn-primary" disabled={busy || (!!m.chosen && selected === m.profile?.code && !conflict)}>
            {busy ? t('common:status.saving') : m.chosen ? t('methodology.change') : t('methodology.confirm')}
          </button>
        </form>
      )}
      {saved && (
        <div className="alert alert-success mt-2" role="status">
          {t('methodology.saved', { name: m?.profile?.name ?? '' })}
        </div>
      )}
      <ProblemAlert error={failure} ns="cycles" />
    </section>
  );
}
