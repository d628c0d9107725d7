// One risk entry: the event (from the catalogue, the leaf's risk areas first, or the leaf's own), context and
// enabling factors, the inherent judgement, the ponderazione with the measures that treat the risk, and the
// optional residual judgement. It subscribes to its own slice of the store only.
import { memo, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RiskEvent } from '../../api/schema.gen';
import { useEditorContext } from './data';
import { FieldErrors, SelectField, TextField, describedBy, errorId } from './fields';
import { JudgementEditor } from './JudgementEditor';
import { decisions, type JudgementDraft, type Profile, type RiskDraft } from './model';
import { ids } from './paths';
import { useEditor, useFieldErrors, useStore } from './store';

const OWN = '__own__';

function short(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function eventOption(e: RiskEvent) {
  return (
    <option key={e.code} value={e.code}>
      {`${e.code} – ${short(e.description, 110)}`}
    </option>
  );
}

function EventPicker({ risk }: { risk: RiskDraft }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const { catalogues, nodeAreas } = useEditorContext();
  const r = risk.uid;
  const events = catalogues.events;
  const inAreas = events.filter((e) => e.risk_areas.some((a) => nodeAreas.includes(a)));
  const others = events.filter((e) => !inAreas.includes(e));
  const current = events.find((e) => e.code === risk.eventCode);
  const [showAll, setShowAll] = useState(() => inAreas.length === 0 || (!!current && !inAreas.includes(current)));
  const showAllId = `${r}-event-all`;
  const descId = `${r}-event-desc`;
  const value = risk.eventMode === 'own' ? OWN : risk.eventCode;
  const set = (fn: (x: RiskDraft) => RiskDraft) => store.updateRisk(r, fn);
  return (
    <>
      {inAreas.length > 0 && others.length > 0 && (
        <div className="form-check mb-2">
          <input type="checkbox" id={showAllId} checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          <label htmlFor={showAllId}>{t('risk.showAllEvents')}</label>
        </div>
      )}
      <SelectField
        id={ids.event(r)}
        label={t('risk.event')}
        value={value}
        required
        hint={nodeAreas.length > 0 ? t('risk.eventHint', { areas: nodeAreas.join(', ') }) : undefined}
        extraDescribedBy={risk.eventMode === 'catalogue' && risk.eventCode ? descId : undefined}
        onChange={(v) => {
          store.clearError(ids.ownEvent(r));
          if (v === OWN) set((x) => ({ ...x, eventMode: 'own', eventCode: '', eventDescription: x.eventMode === 'own' ? x.eventDescription : '' }));
          else set((x) => ({ ...x, eventMode: 'catalogue', eventCode: v, eventDescription: events.find((e) => e.code === v)?.description ?? '' }));
        }}
      >
        <option value="">{t('risk.chooseEvent')}</option>
        {inAreas.length > 0 && <optgroup label={t('risk.areaEvents', { areas: nodeAreas.join(', ') })}>{inAreas.map(eventOption)}</optgroup>}
        {showAll && others.length > 0 && <optgroup label={inAreas.length > 0 ? t('risk.otherEvents') : t('risk.allEvents')}>{others.map(eventOption)}</optgroup>}
        {!current && risk.eventMode === 'catalogue' && risk.eventCode && (
          <option value={risk.eventCode}>{`${risk.eventCode} – ${short(risk.eventDescription, 110)}`}</option>
        )}
        <option value={OWN}>{t('risk.ownEvent')}</option>
      </SelectField>
      {risk.eventMode === 'catalogue' && risk.eventCode && (
        <p id={descId} className="event-description mb-3">
          <span className="visually-hidden">{t('risk.eventChosen')} </span>
          {current?.description ?? risk.eventDescription}
        </p>
      )}
      {risk.eventMode === 'own' && (
        <TextField
          id={ids.ownEvent(r)}
          label={t('risk.ownDescription')}
          hint={t('risk.ownDescriptionHint')}
          value={risk.eventDescription}
          onChange={(v) => set((x) => ({ ...x, eventDescription: v }))}
          required
          multiline
          rows={2}
        />
      )}
    </>
  );
}

function Factors({ risk }: { risk: RiskDraft }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const { catalogues } = useEditorContext();
  const id = ids.factors(risk.uid);
  const errors = useFieldErrors(id);
  const known = new Set(catalogues.factors.map((f) => f.code));
  const unknown = risk.enablingFactors.filter((c) => !known.has(c));
  const toggle = (code: string, on: boolean) => {
    store.updateRisk(risk.uid, (x) => ({ ...x, enablingFactors: on ? [...x.enablingFactors, code] : x.enablingFactors.filter((c) => c !== code) }));
    store.clearError(id);
  };
  return (
    <fieldset id={id} className="mb-3">
      <legend className="h6">{t('risk.factors')}</legend>
      <p className="small text-muted mb-1">{t('risk.factorsHint')}</p>
      {[...catalogues.factors.map((f) => ({ code: f.code, description: f.description })), ...unknown.map((c) => ({ code: c, description: '' }))].map((f) => {
        const fid = `${id}-${f.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        return (
          <div className="form-check my-1" key={f.code}>
            <input type="checkbox" id={fid} checked={risk.enablingFactors.includes(f.code)} onChange={(e) => toggle(f.code, e.target.checked)} aria-describedby={describedBy(errors.length > 0 && errorId(id))} />
            <label htmlFor={fid}>{f.description ? `${f.code} – ${f.description}` : f.code}</label>
          </div>
        );
      })}
      <FieldErrors id={id} errors={errors} />
    </fieldset>
  );
}

/** The decision taken on a risk, in words; none yet reads as a dash. */
export function decisionLabel(d: string | undefined, t: (k: string) => string): string {
  switch (d) {
    case 'treat_new_measures':
      return t('decision.treat_new_measures');
    case 'keep_existing_measures':
      return t('decision.keep_existing_measures');
    case 'analyse_further':
      return t('decision.analyse_further');
  }
  return '–';
}

function Ponderazione({ risk, index }: { risk: RiskDraft; index: number }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const options = useEditor((s) => s.measureOptions);
  const r = risk.uid;
  const decisionId = ids.decision(r);
  const decisionErrors = useFieldErrors(decisionId);
  const linksId = ids.riskMeasures(r);
  const linkErrors = useFieldErrors(linksId);
  const set = (fn: (x: RiskDraft) => RiskDraft) => store.updateRisk(r, fn);
  const ownKeys = new Set(options.map((o) => o.key));
  const foreign = risk.measures.filter((k) => !ownKeys.has(k));
  const toggle = (key: string, on: boolean) => {
    set((x) => ({ ...x, measures: on ? [...x.measures, key] : x.measures.filter((k) => k !== key) }));
    store.clearError(linksId);
  };
  return (
    <>
      <fieldset id={decisionId} className="mb-3" role="radiogroup" aria-invalid={decisionErrors.length > 0 || undefined}>
        <legend className="h6">{t('risk.decision')}</legend>
        {decisions.map((d) => {
          const id = `${decisionId}-${d}`;
          return (
            <div className="form-check my-1" key={d}>
              <input
                type="radio"
                id={id}
                name={decisionId}
                checked={risk.decision === d}
                aria-describedby={describedBy(decisionErrors.length > 0 && errorId(decisionId))}
                onChange={() => {
                  set((x) => ({ ...x, decision: d }));
                  store.clearError(decisionId);
                  store.clearError(linksId);
                }}
              />
              <label htmlFor={id}>{decisionLabel(d, t)}</label>
            </div>
          );
        })}
        <FieldErrors id={decisionId} errors={decisionErrors} />
      </fieldset>
      <TextField
        id={ids.priority(r)}
        label={t('risk.priority')}
        hint={t('risk.priorityHint')}
        value={risk.priority}
        onChange={(v) => set((x) => ({ ...x, priority: v }))}
        type="number"
        inputMode="numeric"
        min={1}
        className="priority-field"
      />
      <fieldset id={linksId} className="mb-3">
        <legend className="h6">{t('risk.measures', { n: index + 1 })}</legend>
        {options.length === 0 && foreign.length === 0 && <p className="small mb-1">{t('risk.noMeasures')}</p>}
        {options.map((o, k) => {
          const id = `${linksId}-${o.uid}`;
          return (
            <div className="form-check my-1" key={o.uid}>
              <input type="checkbox" id={id} checked={risk.measures.includes(o.key)} onChange={(e) => toggle(o.key, e.target.checked)} aria-describedby={describedBy(linkErrors.length > 0 && errorId(linksId))} />
              <label htmlFor={id}>{o.title.trim() ? t('risk.measureOption', { n: k + 1, title: o.title }) : t('risk.measureUntitled', { n: k + 1 })}</label>
            </div>
          );
        })}
        {foreign.map((key) => {
          const id = `${linksId}-x-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          return (
            <div className="form-check my-1" key={key}>
              <input type="checkbox" id={id} checked onChange={() => toggle(key, false)} />
              <label htmlFor={id}>{t('risk.foreignMeasure', { id: key.slice(0, 8) })}</label>
            </div>
          );
        })}
        <FieldErrors id={linksId} errors={linkErrors} />
      </fieldset>
    </>
  );
}

export const RiskEditor = memo(function RiskEditor({ uid, index, profile, cycle, onRemove }: { uid: string; index: number; profile: Profile; cycle: string; onRemove: (uid: string, index: number) => void }) {
  const { t } = useTranslation('assessment');
  const store = useStore();
  const risk = useEditor((s) => s.risks[uid]);
  const headingId = useId();
  const onInherent = useCallback((fn: (j: JudgementDraft) => JudgementDraft) => store.updateRisk(uid, (r) => ({ ...r, inherent: fn(r.inherent) })), [store, uid]);
  const onResidual = useCallback((fn: (j: JudgementDraft) => JudgementDraft) => store.updateRisk(uid, (r) => ({ ...r, residual: fn(r.residual) })), [store, uid]);
  if (!risk) return null;
  const residualToggle = `${uid}-residual-on`;
  return (
    <section id={ids.risk(uid)} tabIndex={-1} className="risk-card card-wrapper mb-4" aria-labelledby={headingId} data-testid="risk-entry">
      <div className="card card-bg p-3 p-md-4">
        <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
          <h3 id={headingId} className="h4 mb-3">
            {risk.eventMode === 'catalogue' && risk.eventCode ? t('risk.headingEvent', { n: index + 1, code: risk.eventCode }) : t('risk.heading', { n: index + 1 })}
          </h3>
          <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => onRemove(uid, index)}>
            {t('risk.remove', { n: index + 1 })}
          </button>
        </div>

        <h4 className="h5">{t('risk.identification')}</h4>
        <EventPicker risk={risk} />
        <TextField
          id={ids.context(uid)}
          label={t('risk.context')}
          hint={t('risk.contextHint')}
          value={risk.context}
          onChange={(v) => store.updateRisk(uid, (x) => ({ ...x, context: v }))}
          multiline
          rows={2}
        />
        <Factors risk={risk} />

        <h4 className="h5 mt-4">{t('judgement.inherent')}</h4>
        <JudgementEditor riskUid={uid} side="inherent" judgement={risk.inherent} profile={profile} cycle={cycle} saved={risk.inherentScore} onChange={onInherent} />

        <h4 className="h5 mt-4">{t('risk.ponderazione')}</h4>
        <Ponderazione risk={risk} index={index} />

        <h4 className="h5 mt-4">{t('judgement.residual')}</h4>
        <div className="form-check mb-3">
          <input type="checkbox" id={residualToggle} checked={risk.residualOn} onChange={(e) => store.updateRisk(uid, (x) => ({ ...x, residualOn: e.target.checked }))} />
          <label htmlFor={residualToggle}>{t('risk.residualOn')}</label>
        </div>
        {risk.residualOn && <JudgementEditor riskUid={uid} side="residual" judgement={risk.residual} profile={profile} cycle={cycle} saved={risk.residualScore} onChange={onResidual} />}
      </div>
    </section>
  );
});
