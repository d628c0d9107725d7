// The editor's state lives outside React: each risk and measure component subscribes to its own slice, so
// a keystroke re-renders the one card being typed in, not the whole editor.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Measure } from '../../api/schema.gen';
import { newMeasure, newRisk, withdrawalOf, type MeasureDraft, type Profile, type RiskDraft } from './model';

export interface MeasureOption {
  key: string;
  uid: string;
  title: string;
}

export interface EditorState {
  riskOrder: string[];
  risks: Record<string, RiskDraft>;
  measureOrder: string[];
  measures: Record<string, MeasureDraft>;
  /** key and title of each measure, for the risks' links; a new array only when one of them changes. */
  measureOptions: MeasureOption[];
  /** Field id → messages; a field's array is replaced only when its errors change. */
  errors: Record<string, string[]>;
  dirty: boolean;
  /** Bumped by every edit: a save compares it to know whether the assessor typed while it was in flight. */
  revision: number;
  /** Saved measures removed from the form with a reason for their withdrawal, sent with the next save. */
  withdrawals: Measure[];
}

function optionsOf(order: string[], measures: Record<string, MeasureDraft>): MeasureOption[] {
  return order.map((uid) => ({ uid, key: measures[uid].key, title: measures[uid].title }));
}

function sameOptions(a: MeasureOption[], b: MeasureOption[]): boolean {
  return a.length === b.length && a.every((o, i) => o.key === b[i].key && o.title === b[i].title && o.uid === b[i].uid);
}

export function initialState(risks: RiskDraft[], measures: MeasureDraft[]): EditorState {
  const m = Object.fromEntries(measures.map((x) => [x.uid, x]));
  const order = measures.map((x) => x.uid);
  return {
    riskOrder: risks.map((r) => r.uid),
    risks: Object.fromEntries(risks.map((r) => [r.uid, r])),
    measureOrder: order,
    measures: m,
    measureOptions: optionsOf(order, m),
    errors: {},
    dirty: false,
    revision: 0,
    withdrawals: [],
  };
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(initial: EditorState) {
  let state = initial;
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((l) => l());
  const edit = (next: EditorState) => {
    state = { ...next, dirty: true, revision: state.revision + 1 };
    emit();
  };
  const withMeasures = (s: EditorState, measures: Record<string, MeasureDraft>, order = s.measureOrder): EditorState => {
    const options = optionsOf(order, measures);
    return { ...s, measures, measureOrder: order, measureOptions: sameOptions(options, s.measureOptions) ? s.measureOptions : options };
  };
  return {
    get: () => state,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    /** Replaces the whole state (load, reload after a conflict, the server's answer to a save). */
    reset(next: EditorState) {
      state = next;
      emit();
    },
    /** Applies a change without marking the form as edited. */
    patch(fn: (s: EditorState) => EditorState) {
      state = fn(state);
      emit();
    },
    updateRisk(uid: string, fn: (r: RiskDraft) => RiskDraft) {
      const r = state.risks[uid];
      if (!r) return;
      edit({ ...state, risks: { ...state.risks, [uid]: fn(r) } });
    },
    addRisk(p: Profile): string {
      const r = newRisk(p);
      edit({ ...state, riskOrder: [...state.riskOrder, r.uid], risks: { ...state.risks, [r.uid]: r } });
      return r.uid;
    },
    removeRisk(uid: string) {
      const risks = { ...state.risks };
      delete risks[uid];
      edit({ ...state, riskOrder: state.riskOrder.filter((x) => x !== uid), risks });
    },
    updateMeasure(uid: string, fn: (m: MeasureDraft) => MeasureDraft) {
      const m = state.measures[uid];
      if (!m) return;
      edit(withMeasures(state, { ...state.measures, [uid]: fn(m) }));
    },
    addMeasure(): string {
      const m = newMeasure(Object.values(state.measures).map((x) => x.key));
      edit(withMeasures(state, { ...state.measures, [m.uid]: m }, [...state.measureOrder, m.uid]));
      return m.uid;
    },
    /** Removes a measure and the risks' links to it; a saved measure's withdrawal reason goes with the next save. */
    removeMeasure(uid: string, reason = '') {
      const gone = state.measures[uid];
      if (!gone) return;
      const withdrawals = gone.id && reason.trim() !== '' ? [...state.withdrawals, withdrawalOf(gone, reason)] : state.withdrawals;
      const measures = { ...state.measures };
      delete measures[uid];
      const risks: Record<string, RiskDraft> = {};
      for (const [k, r] of Object.entries(state.risks)) {
        risks[k] = r.measures.includes(gone.key) ? { ...r, measures: r.measures.filter((x) => x !== gone.key) } : r;
      }
      edit(withMeasures({ ...state, risks, withdrawals }, measures, state.measureOrder.filter((x) => x !== uid)));
    },
    setErrors(errors: Record<string, string[]>) {
      state = { ...state, errors };
      emit();
    },
    /** Drops a field's errors once the assessor changes it. */
    clearError(id: string) {
      if (!state.errors[id]) return;
      const errors = { ...state.errors };
      delete errors[id];
      state = { ...state, errors };
      emit();
    },
  };
}

export const StoreContext = createContext<EditorStore | null>(null);

export function useStore(): EditorStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside the assessment editor');
  return s;
}

/** Subscribes to one slice of the editor's state; the selector must return a stored reference. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}

const noErrors: string[] = [];
export function useFieldErrors(id: string): string[] {
  return useEditor((s) => s.errors[id] ?? noErrors);
}
