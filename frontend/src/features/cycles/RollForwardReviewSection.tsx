// What a roll-forward did not carry over by itself: an adopted assessment whose code is gone from the new map,
// or is there under another title (the numbering shifted between map versions). The RPCT confirms the same
// code, re-attaches it to another action (the closest titles are suggested) or drops it; the decisions taken
// together are applied together.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Cycle, RollForwardReview } from '../../api/schema.gen';
import { ErrorAlert } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, SelectField, TextField, type FieldErrors } from '../../components/FormKit';

type Decision = '' | 'confirm' | 'reattach' | 'drop';
interface Choice {
  decision: Decision;
  suggestion: string;
  other: string;
}

const empty: Choice = { decision: '', suggestion: '', other: '' };

export function RollForwardReviewSection({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation('cycles');
  const reviews = useApi(
    (signal) => api.call<{ items: RollForwardReview[] }>('GET /api/v1/cycles/:cycle/roll-forward/reviews', { params: { cycle: cycle.code }, signal }).then((p) => p.items),
    [cycle.code],
  );
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const form = useRef<HTMLFormElement>(null);

  if (reviews.error) return <ErrorAlert error={reviews.error} onRetry={reviews.reload} />;
  const items = reviews.data ?? [];
  if (items.length === 0) return null;
  const pending = items.filter((r) => r.decision === '');
  const decided = items.filter((r) => r.decision !== '');
  const choiceOf = (id: string) => choices[id] ?? empty;
  const change = (id: string, patch: Partial<Choice>) => setChoices((c) => ({ ...c, [id]: { ...(c[id] ?? empty), ...patch } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setDone('');
    const next: FieldErrors = {};
    const sent: Array<{ id: string; decision: Exclude<Decision, ''>; target?: string }> = [];
    for (const r of pending) {
      const c = choiceOf(r.id);
      if (c.decision === '') continue;
      const target = c.decision === 'reattach' ? (c.other.trim() || c.suggestion).trim() : undefined;
      if (c.decision === 'reattach' && !target) next[`${r.id}-target`] = t('fieldErrors.required');
      sent.push({ id: r.id, decision: c.decision, ...(target ? { target } : {}) });
    }
    if (sent.length === 0) next.none = t('reviews.noneChosen');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await api.call('POST /api/v1/cycles/:cycle/roll-forward/reviews', { params: { cycle: cycle.code }, body: { decisions: sent } });
      const msg = t('reviews.done', { count: sent.length, n: formatNumber(sent.length) });
      setDone(msg);
      announce(msg);
      setChoices({});
      reviews.reload();
    } catch (err) {
      // "decisions[1].target" → the field of the second review sent.
      const fields = apiFieldErrors(t, err, 'cycles', (path) => {
        const m = /^decisions\[(\d+)\]\.(\w+)$/.exec(path);
        const d = m ? sent[Number(m[1])] : undefined;
        return d ? `${d.id}-${m![2] === 'target' ? 'target' : 'decision'}` : undefined;
      });
      setErrors(fields);
      if (Object.keys(fields).length === 0 || !(err instanceof ApiError)) setFailure(err);
      else focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="reviews-title" className="cycle-section" data-testid="rollforward-reviews">
      <h2 id="reviews-title" className="h4">
        {t('reviews.title')}
      </h2>
      <p>{t('reviews.intro', { from: items[0].from_cycle })}</p>
      {pending.length > 0 && (
        <form ref={form} onSubmit={submit} noValidate>
          {pending.map((r) => {
            const c = choiceOf(r.id);
            const options: Decision[] = r.reason === 'title_changed' ? ['confirm', 'reattach', 'drop', ''] : ['reattach', 'drop', ''];
            const decisionError = errors[`${r.id}-decision`];
            return (
              <fieldset key={r.id} className="review-item mb-4" data-testid={`review-${r.node_code}`} aria-describedby={decisionError ? `${r.id}-decision-error` : undefined}>
                <legend className="h6 fw-semibold">
                  {r.node_code} · {r.old_title}
                </legend>
                <p className="mb-2">{r.reason === 'title_changed' ? t('reviews.titleChanged', { code: r.node_code, title: r.new_title }) : t('reviews.codeMissing', { code: r.node_code })}</p>
                {options.map((d) => (
                  <div className="form-check" key={d || 'later'}>
                    <input
                      className="form-check-input"
                      type="radio"
                      name={`decision-${r.id}`}
                      id={`decision-${r.id}-${d || 'later'}`}
                      checked={c.decision === d}
                      onChange={() => change(r.id, { decision: d })}
                    />
                    <label className="form-check-label" htmlFor={`decision-${r.id}-${d || 'later'}`}>
                      {d === 'confirm' ? t('reviews.confirm', { code: r.node_code }) : t(`reviews.${d || 'later'}`)}
                    </label>
                  </div>
                ))}
                {decisionError && (
                  <p id={`${r.id}-decision-error`} className="text-danger small mb-0">
                    {decisionError}
                  </p>
                )}
                {c.decision === 'reattach' && (
                  <div className="row g-3 mt-1">
                    <div className="col-md-7">
                      <SelectField
                        id={`${r.id}-suggestion`}
                        label={t('reviews.suggestion')}
                        value={c.suggestion}
                        onChange={(v) => change(r.id, { suggestion: v })}
                        hint={t('reviews.suggestionHint')}
                        error={c.other.trim() ? undefined : errors[`${r.id}-target`]}
                      >
                        <option value="">{t('reviews.choose')}</option>
                        {r.suggestions.map((s) => (
                          <option key={s.code} value={s.code}>
                            {t('reviews.suggestionOption', { code: s.code, title: s.title, pct: formatNumber(Math.round((s.similarity ?? 0) * 100)) })}
                          </option>
                        ))}
                      </SelectField>
                    </div>
                    <div className="col-md-5">
                      <TextField
                        id={`${r.id}-other`}
                        label={t('reviews.other')}
                        hint={t('reviews.otherHint')}
                        value={c.other}
                        onChange={(v) => change(r.id, { other: v })}
                        error={c.other.trim() ? errors[`${r.id}-target`] : undefined}
                        spellCheck={false}
                      />
                    </div>
                  </div>
                )}
              </fieldset>
            );
          })}
          {errors.none && (
            <p className="text-danger" role="alert">
              {errors.none}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('reviews.apply')}
          </button>
        </form>
      )}
      <div aria-live="polite">{done && <p className="text-success mt-2 mb-0">{done}</p>}</div>
      <ProblemAlert error={failure} ns="cycles" />
      {decided.length > 0 && (
        <div className="table-responsive mt-4">
          <table className="table table-sm">
            <caption>{t('reviews.decidedCaption', { n: formatNumber(decided.length) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reviews.colCode')}</th>
                <th scope="col">{t('reviews.colTitle')}</th>
                <th scope="col">{t('reviews.colDecision')}</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.node_code}</th>
                  <td>{r.old_title}</td>
                  <td>{t(`reviews.decided_${r.decision}`, { target: r.target_code })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
