// The editor of a leaf's assessment: risks and measures (each card its own store subscriber), save of the
// draft as it is (only values present but wrong block it), what is still missing for submission listed with
// links to the fields, the server's 422 shown as a summary with links plus inline errors, version conflicts
// resolved by the assessor (their input is never dropped silently), submission to the RPCT, and a guard
// against leaving with unsaved changes.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { setUnsaved } from '../../lib/unsaved';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Assessment, Completeness, TransitionResult } from '../../api/schema.gen';
import { ErrorAlert } from '../../components/Feedback';
import { Dialog } from '../../components/Modal';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { diffAssessments, type Change } from './diff';
import { documentToApi, MAX_WITHDRAWN_REASON, measureFromApi, pathContext, riskFromApi, type PathContext, type Profile } from './model';
import { MeasureEditor } from './MeasureEditor';
import { WithdrawnMeasures } from './WithdrawnMeasures';
import { describePath, fieldIdForPath, focusField, ids, indicatorNamed, type FormError } from './paths';
import { RiskEditor } from './RiskEditor';
import { StoreContext, createEditorStore, initialState, useEditor, type EditorState, type EditorStore } from './store';
import { validateAssessment } from './validation';

/** The editor's state from a document; uids of the risks and measures sent are kept (by position), so the
 * cards stay mounted when the server's answer replaces the drafts. */
export function stateFromApi(p: Profile, a: Assessment, keep?: { risks: string[]; measures: string[] }): EditorState {
  const risks = (a.risks ?? []).map((r, i) => {
    const d = riskFromApi(p, r);
    return keep?.risks[i] ? { ...d, uid: keep.risks[i] } : d;
  });
  const measures = (a.measures ?? []).map((m, i) => {
    const d = measureFromApi(m);
    return keep?.measures[i] ? { ...d, uid: keep.measures[i] } : d;
  });
  return initialState(risks, measures);
}

export interface SummaryItem {
  id: string | null;
  label: string;
  message: string;
}

/** Groups errors by field id for the inline messages, and lists them, located, for the summary. */
export function presentErrors(errors: FormError[], ctx: PathContext, t: TFunction): { byField: Record<string, string[]>; items: SummaryItem[] } {
  const byField: Record<string, string[]> = {};
  const items: SummaryItem[] = [];
  for (const e of errors) {
    const id = fieldIdForPath(e.path, ctx, e.indicator, e.sub);
    if (id) {
      const list = (byField[id] ??= []);
      if (!list.includes(e.message)) list.push(e.message);
    }
    items.push({ id, label: describePath(e.path, ctx, t, e.indicator, e.sub), message: e.message });
  }
  return { byField, items };
}

/** How long the form waits after the last change before it saves the draft by itself, in milliseconds (tests
 * change it so that no save happens behind their back). */
export const autosave = { delayMs: 3000 };

/** hh:mm in Italian. */
export function formatTime(d: Date): string {
  return d.toLocaleTimeString('it-IT', { hour: '2-digit', minute: '2-digit' });
}

/** A list of problems, each a link that moves the focus to its field (plain text where no field shows it). */
function FieldLinks({ items, text }: { items: SummaryItem[]; text: (item: SummaryItem) => string }) {
  return (
    <ul className="mb-0">
      {items.map((item, i) => {
        const id = item.id;
        return (
          // The same field can be named twice (two problems): the position tells the items apart.
          <li key={i}>
            {id ? (
              <a
                href={`#${id}`}
                onClick={(e) => {
                  e.preventDefault();
                  focusField(id);
                }}
              >
                {text(item)}
              </a>
            ) : (
              text(item)
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** What the saved draft still lacks before it can be submitted, each item a link to its field. The list is the
 * server's, of the last version saved: it changes at each save. */
export function CompletenessPanel({ completeness, context }: { completeness: Completeness; context: () => PathContext }) {
  const { t } = useTranslation('assessment');
  const missing = completeness.missing ?? [];
  if (completeness.complete || missing.length === 0) {
    return (
      <p className="alert alert-success" data-testid="completeness">
        {t('completeness.complete')}
      </p>
    );
  }
  const { items } = presentErrors(
    missing.map((path) => ({ path, message: '' })),
    context(),
    t,
  );
  return (
    <details className="alert alert-warning completeness" data-testid="completeness" open={missing.length <= 10}>
      <summary>{t('completeness.title', { count: missing.length })}</summary>
      <p className="small mb-1">{t('completeness.hint')}</p>
      <FieldLinks items={items} text={(item) => item.label} />
    </details>
  );
}

interface Props {
  cycle: string;
  code: string;
  profile: Profile;
  assessment: Assessment;
  canSubmit: boolean;
  onSaved: (a: Assessment) => void;
  onSubmitted: (r: TransitionResult) => void;
}

export function AssessmentEditor(props: Props) {
  const store = useMemo(() => createEditorStore(stateFromApi(props.profile, props.assessment)), []); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <StoreContext.Provider value={store}>
      <EditorBody {...props} store={store} />
    </StoreContext.Provider>
  );
}

type Confirm = { kind: 'risk' | 'measure'; uid: string; index: number } | { kind: 'submit' } | null;

interface Conflict {
  current: Assessment;
  changes: Change[];
  step: 'choose' | 'confirmLoad';
}

function useUnsavedGuard(dirty: boolean, message: string) {
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = message;
      return message;
    };
    // In-app links (the side menu, the breadcrumb) ask too: capture runs before the router's handler.
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!a || a.target === '_blank' || a.hasAttribute('download')) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    setUnsaved(message);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
      setUnsaved(null);
    };
  }, [dirty, message]);
}

function EditorBody({ cycle, code, profile, assessment, canSubmit, onSaved, onSubmitted, store }: Props & { store: EditorStore }) {
  const { t } = useTranslation('assessment');
  const riskOrder = useEditor((s) => s.riskOrder);
  const measureOrder = useEditor((s) => s.measureOrder);
  const dirty = useSyncExternalStore(store.subscribe, () => store.get().dirty);
  const revision = useSyncExternalStore(store.subscribe, () => store.get().revision);
  const version = useRef(assessment.version);
  const base = useRef(assessment);
  const [savedOnce, setSavedOnce] = useState(assessment.version > 0);
  // When the draft was last saved (the server's time of the version read, then the time of each save).
  const [savedAt, setSavedAt] = useState<Date | null>(assessment.version > 0 && assessment.updated_at ? new Date(assessment.updated_at) : null);
  const [completeness, setCompleteness] = useState<Completeness | undefined>(assessment.completeness);
  // What the summary is about: a save refused (values wrong) or a submission refused (items missing).
  const [summaryKind, setSummaryKind] = useState<'save' | 'submit'>('save');
  const [busy, setBusy] = useState<'saving' | 'submitting' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<SummaryItem[] | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const params = { cycle, code };

  useUnsavedGuard(dirty, t('editor.leaveConfirm'));
  useEffect(() => {
    if (dirty) setNotice(null);
  }, [dirty]);
  useEffect(() => {
    if (summary && summary.length > 0) summaryRef.current?.focus();
  }, [summary]);

  const showErrors = useCallback(
    (errors: FormError[], ctx: PathContext, kind: 'save' | 'submit' = 'save') => {
      const { byField, items } = presentErrors(errors, ctx, t);
      store.setErrors(byField);
      setSummaryKind(kind);
      setSummary(items);
      announce(t(kind === 'save' ? 'editor.summaryTitle' : 'editor.submitSummaryTitle', { count: items.length }));
    },
    [store, t],
  );

  /** The server's answer to a save: replaces the drafts, unless the assessor typed meanwhile (then only the
   * new ids, keys and version are taken, and the form stays "not saved"). */
  const applySaved = (saved: Assessment, revision: number, sent: { risks: string[]; measures: string[] }) => {
    version.current = saved.version;
    base.current = saved;
    setSavedOnce(true);
    setSavedAt(new Date());
    setCompleteness(saved.completeness);
    onSaved(saved);
    if (store.get().revision === revision) {
      store.reset(stateFromApi(profile, saved, sent));
      return;
    }
    store.patch((s) => {
      const risks = { ...s.risks };
      const measures = { ...s.measures };
      const rename = new Map<string, string>();
      sent.measures.forEach((uid, i) => {
        const m = measures[uid];
        const sv = saved.measures[i];
        if (!m || !sv) return;
        if (sv.key && sv.key !== m.key) rename.set(m.key, sv.key);
        measures[uid] = { ...m, id: sv.id, key: sv.key || m.key, missing: sv.missing };
      });
      sent.risks.forEach((uid, i) => {
        const r = risks[uid];
        const sv = saved.risks[i];
        if (r && sv) risks[uid] = { ...r, id: sv.id, inherentScore: sv.inherent_score, residualScore: sv.residual_score };
      });
      if (rename.size > 0) {
        for (const [k, r] of Object.entries(risks)) risks[k] = { ...r, measures: r.measures.map((x) => rename.get(x) ?? x) };
      }
      return { ...s, risks, measures, measureOptions: s.measureOrder.map((uid) => ({ uid, key: measures[uid].key, title: measures[uid].title })) };
    });
  };

  const openConflict = async () => {
    try {
      const current = await api.call<Assessment>('GET /api/v1/cycles/:cycle/nodes/:code/assessment', { params });
      setConflict({ current, changes: diffAssessments(base.current, current, profile, t), step: 'choose' });
    } catch (e) {
      setError(e);
    }
  };

  /** Saves the form; true when the server accepted it. An automatic save is quiet: it neither reports wrong
   * values (the assessor is still typing; the next manual save does) nor shows a notice, only the time of the
   * save; a version conflict still opens the dialog, so nobody overwrites a colleague unknowingly. */
  const save = async (mode: 'manual' | 'auto' = 'manual'): Promise<boolean> => {
    const auto = mode === 'auto';
    const s = store.get();
    const risks = s.riskOrder.map((u) => s.risks[u]);
    const measures = s.measureOrder.map((u) => s.measures[u]);
    const doc = documentToApi(profile, version.current, risks, measures, s.withdrawals);
    const ctx = pathContext(doc, risks, measures);
    // A draft is saved as it is: only values present but wrong stop the save.
    const problems = validateAssessment(doc, ctx, profile, t, risks, 'invalid');
    if (auto && problems.length > 0) return false;
    if (!auto) {
      setError(null);
      setNotice(null);
    }
    if (problems.length > 0) {
      showErrors(problems, ctx);
      return false;
    }
    if (!auto) {
      store.setErrors({});
      setSummary(null);
    }
    setBusy('saving');
    try {
      const saved = await api.call<Assessment>('PUT /api/v1/cycles/:cycle/nodes/:code/assessment', { params, body: doc });
      applySaved(saved, s.revision, { risks: s.riskOrder, measures: s.measureOrder });
      if (!auto) {
        setNotice(t('editor.saved'));
        announce(t('editor.saved'));
      }
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        await openConflict();
      } else if (auto) {
        // Quiet: the form stays "not saved", and the next manual save reports what is wrong.
      } else if (e instanceof ApiError && e.status === 422 && e.fieldErrors.length > 0) {
        showErrors(
          e.fieldErrors.map((f) => ({ path: f.field ?? '', message: t(`fieldErrors.${f.code}`, { defaultValue: t('fieldErrors.generic') }), indicator: indicatorNamed(f.message) })),
          ctx,
        );
      } else {
        setError(e);
      }
      return false;
    } finally {
      setBusy(null);
    }
  };

  // The timer calls the latest save (it reads the form when it runs, not when the timer was set).
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });

  /** The document of the form as it stands, and the context that maps its paths to fields. */
  const currentDocument = () => {
    const s = store.get();
    const risks = s.riskOrder.map((u) => s.risks[u]);
    const measures = s.measureOrder.map((u) => s.measures[u]);
    const doc = documentToApi(profile, version.current, risks, measures, s.withdrawals);
    return { doc, risks, ctx: pathContext(doc, risks, measures) };
  };

  // Autosave: a while after the last change, unless something else is under way (a save, a submission, a
  // dialog open: the conflict's choice is the assessor's).
  useEffect(() => {
    if (!dirty || busy !== null || conflict !== null || confirm !== null) return;
    const timer = window.setTimeout(() => void saveRef.current('auto'), autosave.delayMs);
    return () => window.clearTimeout(timer);
  }, [dirty, revision, busy, conflict, confirm]);

  const submit = async () => {
    setConfirm(null);
    if (store.get().dirty || !savedOnce) {
      if (!(await save())) return;
    }
    // The draft is saved: what is still missing is listed before anything is sent for review.
    const current = currentDocument();
    const missing = validateAssessment(current.doc, current.ctx, profile, t, current.risks);
    if (missing.length > 0) {
      showErrors(missing, current.ctx, 'submit');
      return;
    }
    setBusy('submitting');
    setError(null);
    try {
      const res = await api.call<TransitionResult>('POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions', { params, body: { action: 'submit' } });
      announce(t('editor.submitted'));
      onSubmitted(res);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.fieldErrors.length > 0) {
        showErrors(
          e.fieldErrors.map((f) => ({ path: f.field ?? '', message: t(`fieldErrors.${f.code}`, { defaultValue: t('fieldErrors.generic') }), indicator: indicatorNamed(f.message) })),
          currentDocument().ctx,
          'submit',
        );
      } else {
        setError(e);
      }
    } finally {
      setBusy(null);
    }
  };

  const overwrite = async () => {
    if (!conflict) return;
    version.current = conflict.current.version;
    base.current = conflict.current;
    setConflict(null);
    await save();
  };

  const loadCurrent = () => {
    if (!conflict) return;
    const current = conflict.current;
    version.current = current.version;
    base.current = current;
    store.reset(stateFromApi(profile, current));
    setSummary(null);
    setConflict(null);
    setSavedOnce(current.version > 0);
    setSavedAt(current.version > 0 && current.updated_at ? new Date(current.updated_at) : null);
    setCompleteness(current.completeness);
    onSaved(current);
    setNotice(t('conflict.loaded'));
    announce(t('conflict.loaded'));
  };

  const onRemoveRisk = useCallback((uid: string, index: number) => setConfirm({ kind: 'risk', uid, index }), []);
  const [withdrawReason, setWithdrawReason] = useState('');
  const onRemoveMeasure = useCallback((uid: string, index: number) => {
    setWithdrawReason('');
    setConfirm({ kind: 'measure', uid, index });
  }, []);
  const removingSaved = confirm?.kind === 'measure' && !!store.get().measures[confirm.uid]?.id;

  const addRisk = () => {
    const uid = store.addRisk(profile);
    window.setTimeout(() => focusField(ids.event(uid)), 0);
  };
  const addMeasure = () => {
    const uid = store.addMeasure();
    window.setTimeout(() => focusField(ids.measureField(uid, 'title')), 0);
  };

  const remove = () => {
    if (!confirm || confirm.kind === 'submit') return;
    if (confirm.kind === 'risk') store.removeRisk(confirm.uid);
    else store.removeMeasure(confirm.uid, withdrawReason);
    const focusTo = confirm.kind === 'risk' ? 'add-risk' : 'add-measure';
    setConfirm(null);
    announce(confirm.kind === 'risk' ? t('risk.removed', { n: confirm.index + 1 }) : t('measure.removed', { n: confirm.index + 1 }));
    window.setTimeout(() => document.getElementById(focusTo)?.focus(), 0);
  };

  const askSubmit = () => {
    if (!canSubmit || busy) return;
    if (store.get().riskOrder.length === 0) {
      setError(null);
      setNotice(null);
      setSummary([{ id: 'add-risk', label: t('where.risks'), message: t('editor.submitNoRisks') }]);
      return;
    }
    setConfirm({ kind: 'submit' });
  };

  const currentEditable = !conflict || ['draft', 'returned', ''].includes(conflict.current.state ?? 'draft');

  return (
    <div className="assessment-editor">
      {summary && summary.length > 0 && (
        <div ref={summaryRef} tabIndex={-1} className="alert alert-danger error-summary" role="alert" aria-labelledby="error-summary-title" data-testid="error-summary">
          <h2 id="error-summary-title" className="h5">
            {t(summaryKind === 'save' ? 'editor.summaryTitle' : 'editor.submitSummaryTitle', { count: summary.length })}
          </h2>
          <FieldLinks items={summary} text={(item) => `${item.label}: ${item.message}`} />
        </div>
      )}
      {notice && (
        <div className="alert alert-success" role="status" data-testid="editor-notice">
          {notice}
        </div>
      )}
      <ErrorAlert error={error} />
      {savedOnce && completeness && riskOrder.length > 0 && <CompletenessPanel completeness={completeness} context={() => currentDocument().ctx} />}

      <section aria-labelledby="risks-title" id={ids.risks} tabIndex={-1} className="mb-4">
        <h2 id="risks-title" className="h3">
          {t('editor.risksTitle')}
        </h2>
        <p>{t('editor.risksIntro')}</p>
        {riskOrder.length === 0 && <p className="fst-italic">{t('editor.noRisks')}</p>}
        {riskOrder.map((uid, i) => (
          <RiskEditor key={uid} uid={uid} index={i} profile={profile} cycle={cycle} onRemove={onRemoveRisk} />
        ))}
        <button type="button" id="add-risk" className="btn btn-outline-primary" onClick={addRisk}>
          {t('editor.addRisk')}
        </button>
      </section>

      <section aria-labelledby="measures-title" id={ids.measures} tabIndex={-1} className="mb-4">
        <h2 id="measures-title" className="h3">
          {t('editor.measuresTitle')}
        </h2>
        <p>{t('editor.measuresIntro')}</p>
        {measureOrder.length === 0 && <p className="fst-italic">{t('editor.noMeasures')}</p>}
        {measureOrder.map((uid, i) => (
          <MeasureEditor key={uid} uid={uid} index={i} onRemove={onRemoveMeasure} />
        ))}
        <button type="button" id="add-measure" className="btn btn-outline-primary" onClick={addMeasure}>
          {t('editor.addMeasure')}
        </button>
      </section>

      <WithdrawnMeasures measures={assessment.withdrawn_measures} />

      <div className="editor-actions" role="region" aria-label={t('editor.actionsLabel')}>
        <div>
          <p className={`mb-0 save-state ${dirty ? 'is-dirty' : ''}`} data-testid="save-state">
            {busy === 'saving' ? t('editor.saving') : busy === 'submitting' ? t('editor.submitting') : dirty ? t('editor.unsaved') : savedOnce ? t('editor.allSaved') : t('editor.neverSaved')}
          </p>
          {savedAt && (
            <p className="mb-0 small text-body-secondary" data-testid="saved-at">
              {t('editor.savedAt', { time: formatTime(savedAt) })}
            </p>
          )}
        </div>
        <div className="d-flex flex-wrap gap-2 align-items-center">
          <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy !== null}>
            {t('editor.save')}
          </button>
          {canSubmit ? (
            <button type="button" className="btn btn-success" onClick={askSubmit} disabled={busy !== null}>
              {t('editor.submit')}
            </button>
          ) : (
            <>
              <button type="button" className="btn btn-success disabled" aria-disabled="true" aria-describedby="submit-why">
                {t('editor.submit')}
              </button>
              <span id="submit-why" className="small">
                {t('editor.submitNotAllowed')}
              </span>
            </>
          )}
        </div>
      </div>

      <Dialog
        id="confirm-dialog"
        open={confirm !== null}
        title={confirm?.kind === 'submit' ? t('submitDialog.title') : confirm?.kind === 'risk' ? t('risk.removeTitle', { n: confirm.index + 1 }) : confirm?.kind === 'measure' ? t('measure.removeTitle', { n: confirm.index + 1 }) : ''}
        onClose={() => setConfirm(null)}
        footer={
          confirm?.kind === 'submit' ? (
            <>
              <button type="button" className="btn btn-outline-secondary" onClick={() => setConfirm(null)}>
                {t('common:actions.cancel')}
              </button>
              <button type="button" className="btn btn-success" onClick={() => void submit()}>
                {t('submitDialog.confirm')}
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-outline-secondary" onClick={() => setConfirm(null)}>
                {t('common:actions.cancel')}
              </button>
              <button type="button" className="btn btn-danger" onClick={remove}>
                {t('editor.confirmRemove')}
              </button>
            </>
          )
        }
      >
        {confirm?.kind === 'submit' ? (
          <>
            <p>{t('submitDialog.body')}</p>
            {dirty && <p className="mb-0">{t('submitDialog.unsaved')}</p>}
          </>
        ) : (
          <>
            <p className={removingSaved ? undefined : 'mb-0'}>{confirm?.kind === 'measure' ? t('measure.removeBody') : t('risk.removeBody')}</p>
            {removingSaved && (
              <div className="mb-0">
                <label htmlFor="withdraw-reason" className="form-label">
                  {t('withdrawn.reasonLabel')}
                </label>
                <textarea
                  id="withdraw-reason"
                  className="form-control"
                  rows={2}
                  maxLength={MAX_WITHDRAWN_REASON}
                  value={withdrawReason}
                  aria-describedby="withdraw-reason-hint"
                  onChange={(e) => setWithdrawReason(e.target.value)}
                />
                <p id="withdraw-reason-hint" className="form-text mb-0">
                  {t('withdrawn.reasonHint')}
                </p>
              </div>
            )}
          </>
        )}
      </Dialog>

      <Dialog
        id="conflict-dialog"
        open={conflict !== null}
        title={conflict?.step === 'confirmLoad' ? t('conflict.confirmTitle') : t('conflict.title')}
        onClose={() => setConflict(null)}
        footer={
          conflict?.step === 'confirmLoad' ? (
            <>
              <button type="button" className="btn btn-outline-secondary" onClick={() => setConflict({ ...conflict, step: 'choose' })}>
                {t('conflict.back')}
              </button>
              <button type="button" className="btn btn-danger" onClick={loadCurrent}>
                {t('conflict.confirmLoad')}
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-outline-secondary" onClick={() => conflict && setConflict({ ...conflict, step: 'confirmLoad' })}>
                {t('conflict.load')}
              </button>
              {currentEditable && (
                <button type="button" className="btn btn-primary" onClick={() => void overwrite()}>
                  {t('conflict.overwrite')}
                </button>
              )}
            </>
          )
        }
      >
        {conflict?.step === 'confirmLoad' ? (
          <p className="mb-0">{t('conflict.confirmBody')}</p>
        ) : (
          conflict && (
            <div data-testid="conflict-changes">
              <p>
                {conflict.current.updated_at ? t('conflict.introWhen', { when: formatDateTime(conflict.current.updated_at) }) : t('conflict.intro')} {t('conflict.kept')}
              </p>
              {conflict.changes.length === 0 ? (
                <p>{t('conflict.noChanges')}</p>
              ) : (
                <>
                  <p className="fw-semibold mb-1">{t('conflict.changesTitle')}</p>
                  <ul className="conflict-changes">
                    {conflict.changes.map((c, i) => (
                      <li key={i}>
                        <span className="fw-semibold">{c.where}</span>
                        <ul>
                          {c.what.map((w, j) => (
                            <li key={j}>{w}</li>
                          ))}
                        </ul>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {!currentEditable && <p className="alert alert-warning mb-0">{t('conflict.notEditable', { state: t(`common:states.${conflict.current.state}`) })}</p>}
              <p className="mb-0">{currentEditable ? t('conflict.choose') : t('conflict.chooseLoadOnly')}</p>
            </div>
          )
        )}
      </Dialog>
    </div>
  );
}
