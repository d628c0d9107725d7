// One judgement (inherent or residual risk): each indicator as a radio group whose options carry the level's
// label and description, its reason, the manual likelihood/impact when the profile asks for them, the
// optional override of the computed level, the overall reason, and the live score.
import { memo, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Score } from '../../api/schema.gen';
import { MIN_REASON, type Indicator, type IndicatorDraft, type JudgementDraft, type Profile, type ScaleLevel } from './model';
import { ids, type Side } from './paths';
import { LiveScore } from './ScoreView';
import { SupportingData } from './SupportingData';
import { FieldErrors, HiddenSuffix, SelectField, TextField, describedBy, errorId } from './fields';
import { useFieldErrors, useStore } from './store';

type Update = (fn: (j: JudgementDraft) => JudgementDraft) => void;

/** "1 – Basso: description" */
export function optionLabel(l: ScaleLevel): string {
  return l.description ? `${l.value} – ${l.label}: ${l.description}` : `${l.value} – ${l.label}`;
}

const IndicatorField = memo(function IndicatorField({
  jp,
  indicator,
  draft,
  reasonRequired,
  suffix,
  onValue,
  onReason,
}: {
  jp: string;
  indicator: Indicator;
  draft: IndicatorDraft;
  reasonRequired: boolean;
  suffix: string;
  onValue: (code: string, v: number) => void;
  onReason: (code: string, v: string) => void;
}) {
  const { t } = useTranslation('assessment');
  const groupId = ids.indicator(jp, indicator.code);
  const errors = useFieldErrors(groupId);
  const store = useStore();
  const questionId = `${groupId}-question`;
  return (
    <div className="indicator-field mb-3">
      <fieldset id={groupId} className="indicator-group" role="radiogroup" aria-invalid={errors.length > 0 || undefined}>
        <legend className="h6 mb-1">
          {indicator.code} – {indicator.name}
          <HiddenSuffix text={suffix} />
        </legend>
        {indicator.question && (
          <p id={questionId} className="small text-muted mb-2">
            {indicator.question}
          </p>
        )}
        {indicator.levels.map((l) => {
          const optId = ids.indicatorOption(jp, indicator.code, l.value);
          return (
            <div className="form-check my-1" key={l.value}>
              <input
                type="radio"
                id={optId}
                name={groupId}
                checked={draft.value === l.value}
                aria-describedby={describedBy(indicator.question && questionId, errors.length > 0 && errorId(groupId))}
                onChange={() => {
                  onValue(indicator.code, l.value);
                  store.clearError(groupId);
                }}
              />
              <label htmlFor={optId} className="indicator-option">
                <strong>
                  {l.value} – {l.label}
                </strong>
                {l.description && <>: {l.description}</>}
              </label>
            </div>
          );
        })}
        <FieldErrors id={groupId} errors={errors} />
      </fieldset>
      <TextField
        id={ids.indicatorReason(jp, indicator.code)}
        label={
          <>
            {t('judgement.indicatorReason', { code: indicator.code })}
            <HiddenSuffix text={suffix} />
          </>
        }
        value={draft.reason}
        onChange={(v) => onReason(indicator.code, v)}
        required={reasonRequired}
        multiline
        rows={2}
        className="mt-2"
      />
    </div>
  );
});

function ManualChoice({ jp, which, scale, value, onChange, suffix }: { jp: string; which: 'likelihood' | 'impact'; scale: ScaleLevel[]; value: number | null; onChange: (v: number | null) => void; suffix: string }) {
  const { t } = useTranslation('assessment');
  const id = which === 'likelihood' ? ids.likelihoodManual(jp) : ids.impactManual(jp);
  return (
    <SelectField
      id={id}
      label={
        <>
          {which === 'likelihood' ? t('judgement.likelihoodManual') : t('judgement.impactManual')}
          <HiddenSuffix text={suffix} />
        </>
      }
      value={value === null ? '' : String(value)}
      onChange={(v) => onChange(v === '' ? null : Number(v))}
      required
    >
      <option value="">{t('judgement.choose')}</option>
      {scale.map((l) => (
        <option key={l.value} value={l.value}>
          {optionLabel(l)}
        </option>
      ))}
    </SelectField>
  );
}

export const JudgementEditor = memo(function JudgementEditor({
  riskUid,
  side,
  judgement,
  profile,
  cycle,
  saved,
  onChange,
}: {
  riskUid: string;
  side: Side;
  judgement: JudgementDraft;
  profile: Profile;
  cycle: string;
  saved?: Score;
  onChange: Update;
}) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const jp = ids.judgement(riskUid, side);
  const suffix = side === 'residual' ? t('judgement.residualSuffix') : '';
  const onValue = useCallback((code: string, v: number) => onChange((j) => ({ ...j, values: { ...j.values, [code]: { ...j.values[code], value: v } } })), [onChange]);
  const onReason = useCallback((code: string, v: string) => onChange((j) => ({ ...j, values: { ...j.values, [code]: { ...j.values[code], reason: v } } })), [onChange]);
  const manual = profile.likelihood_aggregation === 'manual' || profile.impact_aggregation === 'manual';
  const groups: Array<[string, Indicator[]]> = [
    [t('judgement.likelihoodIndicators'), profile.likelihood_indicators],
    [t('judgement.impactIndicators'), profile.impact_indicators],
  ];
  const overrideId = ids.override(jp);
  return (
    <div id={jp} tabIndex={-1} className="judgement">
      <p className="small">{profile.indicator_reason_required ? t('judgement.introReasons') : t('judgement.intro')}</p>
      {groups.map(([title, inds]) => (
        <fieldset key={title} className="indicator-set mb-3">
          <legend className="h6">
            {title}
            <HiddenSuffix text={suffix} />
          </legend>
          {inds.map((ind) => (
            <IndicatorField
              key={ind.code}
              jp={jp}
              indicator={ind}
              draft={judgement.values[ind.code] ?? { value: null, reason: '' }}
              reasonRequired={profile.indicator_reason_required}
              suffix={suffix}
              onValue={onValue}
              onReason={onReason}
            />
          ))}
        </fieldset>
      ))}
      {manual && (
        <div className="manual-choice mb-3">
          <p className="small mb-2">{t('judgement.manualIntro')}</p>
          {profile.likelihood_aggregation === 'manual' && (
            <ManualChoice jp={jp} which="likelihood" scale={profile.likelihood_scale} value={judgement.likelihoodManual} suffix={suffix} onChange={(v) => onChange((j) => ({ ...j, likelihoodManual: v }))} />
          )}
          {profile.impact_aggregation === 'manual' && (
            <ManualChoice jp={jp} which="impact" scale={profile.impact_scale} value={judgement.impactManual} suffix={suffix} onChange={(v) => onChange((j) => ({ ...j, impactManual: v }))} />
          )}
          <TextField
            id={ids.manualReason(jp)}
            label={
              <>
                {t('judgement.manualReason')}
                <HiddenSuffix text={suffix} />
              </>
            }
            hint={t('judgement.minReason', { min: MIN_REASON })}
            value={judgement.manualReason}
            onChange={(v) => onChange((j) => ({ ...j, manualReason: v }))}
            required
            multiline
            rows={2}
          />
        </div>
      )}
      <LiveScore profile={profile} judgement={judgement} cycle={cycle} saved={saved} id={`${jp}-score`} />
      <div className="form-check my-3">
        <input
          type="checkbox"
          id={overrideId}
          checked={judgement.override}
          onChange={(e) => {
            const on = e.target.checked;
            onChange((j) => ({ ...j, override: on }));
            store.clearError(ids.overrideLevel(jp));
            store.clearError(ids.overrideReason(jp));
          }}
        />
        <label htmlFor={overrideId}>
          {t('judgement.override')}
          <HiddenSuffix text={suffix} />
        </label>
      </div>
      {judgement.override && (
        <div className="override ps-4 mb-3">
          <SelectField
            id={ids.overrideLevel(jp)}
            label={
              <>
                {t('judgement.overrideLevel')}
                <HiddenSuffix text={suffix} />
              </>
            }
            value={judgement.overrideLevel}
            onChange={(v) => onChange((j) => ({ ...j, overrideLevel: v }))}
            required
          >
            <option value="">{t('judgement.choose')}</option>
            {profile.risk_levels.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </SelectField>
          <TextField
            id={ids.overrideReason(jp)}
            label={
              <>
                {t('judgement.overrideReason')}
                <HiddenSuffix text={suffix} />
              </>
            }
            hint={t('judgement.minReason', { min: MIN_REASON })}
            value={judgement.overrideReason}
            onChange={(v) => onChange((j) => ({ ...j, overrideReason: v }))}
            required
            multiline
            rows={2}
          />
        </div>
      )}
      <TextField
        id={ids.reason(jp)}
        label={
          <>
            {t('judgement.reason')}
            <HiddenSuffix text={suffix} />
          </>
        }
        hint={t('judgement.reasonHint', { min: MIN_REASON })}
        value={judgement.reason}
        onChange={(v) => onChange((j) => ({ ...j, reason: v }))}
        required
        multiline
        rows={3}
      />
      <SupportingData id={jp} cycle={cycle} value={judgement.supportingData ?? []} suffix={suffix} onChange={(v) => onChange((j) => ({ ...j, supportingData: v }))} />
    </div>
  );
});
