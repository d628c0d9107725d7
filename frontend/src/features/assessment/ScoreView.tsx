// The outcome of a judgement as text: likelihood and impact with their ordinal labels ("3 – Alto"), the
// numeric product when the profile has one, and the risk level ("Livello di rischio: Alto").
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Score } from '../../api/schema.gen';
import { HowComputed, type HowJudgement } from '../../components/HowComputed';
import { formatNumber } from '../../lib/format';
import { judgementToApi, type JudgementDraft, type Profile } from './model';
import { levelLabel, localScore, missingIndicators, readyForServer, scoreKey } from './scoring';

/** "3 – Alto": the value with its label; numeric profiles show the mean with the label of its rounding. */
export function ordinal(value: number | undefined, label: string | undefined): string {
  const v = formatNumber(value ?? 0);
  return label ? `${v} – ${label}` : v;
}

export function ScoreSummary({ score, profile, provisional, id, judgement }: { score: Score; profile: Profile | null; provisional?: boolean; id?: string; judgement?: HowJudgement | null }) {
  const { t } = useTranslation('assessment');
  const level = levelLabel(profile, score.level, (c) => t(`common:levels.${c}`, { defaultValue: c }));
  const computed = levelLabel(profile, score.computed_level, (c) => t(`common:levels.${c}`, { defaultValue: c }));
  return (
    <div className="score-summary" id={id} data-testid="score-summary">
      <ul className="list-unstyled mb-1">
        <li>
          {t('score.likelihood')}: <strong>{ordinal(score.likelihood, score.likelihood_label)}</strong>
        </li>
        <li>
          {t('score.impact')}: <strong>{ordinal(score.impact, score.impact_label)}</strong>
        </li>
        {profile?.kind === 'numeric' && (
          <li>
            {t('score.product')}: <strong>{formatNumber(score.product)}</strong>
          </li>
        )}
      </ul>
      <p className="mb-0 score-level">
        {t('score.level')}: <span className={`badge level-badge level-${score.level || 'none'}`}>{level}</span>
        {score.overridden && <span> {t('score.overridden', { computed })}</span>}
        {provisional && <span className="text-muted"> {t('score.provisional')}</span>}
      </p>
      {judgement !== undefined && <HowComputed score={score} profile={profile} judgement={judgement} />}
    </div>
  );
}

interface ServerScore {
  key: string;
  score: Score;
}

/** Scores the judgement as it is typed: locally at once, by the server (the truth) 600 ms after the last
 * change of a value, once the judgement is complete enough for the server to accept it. */
export function LiveScore({ profile, judgement, cycle, saved, id }: { profile: Profile; judgement: JudgementDraft; cycle: string; saved?: Score; id: string }) {
  const { t } = useTranslation('assessment');
  const key = scoreKey(profile, judgement);
  const ready = readyForServer(profile, judgement);
  const [server, setServer] = useState<ServerScore | null>(() => (saved ? { key, score: saved } : null));
  const latest = useRef(judgement);
  latest.current = judgement;

  useEffect(() => {
    if (!ready || server?.key === key) return;
    const ctl = new AbortController();
    const timer = window.setTimeout(() => {
      api
        .call<Score>('POST /api/v1/cycles/:cycle/methodology/score', { params: { cycle }, body: judgementToApi(profile, latest.current), signal: ctl.signal })
        .then((score) => setServer({ key, score }))
        .catch(() => undefined); // the local preview stays; saving reports the problems
    }, 600);
    return () => {
      window.clearTimeout(timer);
      ctl.abort();
    };
    // latest is read when the timer fires: only a change of the values asks the server again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, ready, cycle, profile]);

  const local = localScore(profile, judgement);
  const missing = missingIndicators(profile, judgement).length;
  const shown = server && server.key === key ? server.score : local;
  const levelText = shown ? levelLabel(profile, shown.level, (c) => t(`common:levels.${c}`, { defaultValue: c })) : '';
  return (
    <div className="score-box" id={id}>
      {shown ? (
        <ScoreSummary score={shown} profile={profile} provisional={shown === local} judgement={judgementToApi(profile, judgement)} />
      ) : (
        <p className="mb-0 score-level">
          {t('score.level')}: <span className="badge level-badge level-none">{t('score.incomplete', { count: missing })}</span>
        </p>
      )}
      {/* only the level is announced, when it changes: not every value of the summary */}
      <span className="visually-hidden" aria-live="polite">
        {levelText && `${t('score.level')}: ${levelText}`}
      </span>
    </div>
  );
}
