// Lookups that show an assessment's codes as words: the cycle's methodology (indicators and their answers, risk
// levels) and the catalogue (enabling factors, measure types, general measures). The review screens and the audit
// trail load them once per page (per cycle); a catalogue that fails to load leaves the codes visible (never a blank).
import type { HowProfile } from '../components/HowComputed';
import { api } from '../api/client';
import type { EnablingFactor, GeneralMeasure, MeasureType, Methodology } from '../api/schema.gen';

export interface ScaleLevel {
  value: number;
  label: string;
  description?: string;
}

export interface Indicator {
  code: string;
  name: string;
  question?: string;
  levels: ScaleLevel[];
}

export interface Lookups {
  indicators: Map<string, Indicator>;
  /** likelihood indicators first, then impact: the order the methodology asks them */
  indicatorOrder: string[];
  likelihoodCodes: Set<string>;
  levelLabels: Map<string, string>;
  factors: Map<string, string>;
  types: Map<string, string>;
  generals: Map<string, string>;
  /** the cycle's profile, for "Come è calcolato" beside each level (absent when it could not be read) */
  profile?: HowProfile | null;
}

export const emptyLookups: Lookups = {
  indicators: new Map(),
  indicatorOrder: [],
  likelihoodCodes: new Set(),
  levelLabels: new Map(),
  factors: new Map(),
  types: new Map(),
  generals: new Map(),
};

type Items<T> = { items: T[] };

function items<T>(p: Promise<Items<T> | T[]>): Promise<T[]> {
  return p.then((r) => (Array.isArray(r) ? r : (r.items ?? []))).catch(() => []);
}

export async function loadLookups(cycle: string, signal?: AbortSignal): Promise<Lookups> {
  const [meth, factors, types, generals] = await Promise.all([
    api.call<Methodology>('GET /api/v1/cycles/:cycle/methodology', { params: { cycle }, signal }).catch(() => null),
    items(api.call<Items<EnablingFactor>>('GET /api/v1/catalogue/enabling-factors', { signal })),
    items(api.call<Items<MeasureType>>('GET /api/v1/catalogue/measure-types', { signal })),
    items(api.call<Items<GeneralMeasure>>('GET /api/v1/catalogue/general-measures', { signal })),
  ]);
  const likelihood = (meth?.profile?.likelihood_indicators ?? []) as unknown as Indicator[];
  const impact = (meth?.profile?.impact_indicators ?? []) as unknown as Indicator[];
  const levels = (meth?.profile?.risk_levels ?? []) as unknown as Array<{ code: string; label: string }>;
  return {
    indicators: new Map([...likelihood, ...impact].map((i) => [i.code, { ...i, levels: i.levels ?? [] }])),
    indicatorOrder: [...likelihood, ...impact].map((i) => i.code),
    likelihoodCodes: new Set(likelihood.map((i) => i.code)),
    levelLabels: new Map(levels.map((l) => [l.code, l.label])),
    factors: new Map(factors.map((f) => [f.code, f.description])),
    types: new Map(types.map((x) => [x.code ?? '', x.name ?? ''])),
    generals: new Map(generals.map((g) => [g.code ?? '', g.name ?? ''])),
    profile: (meth?.profile as unknown as HowProfile | undefined) ?? null,
  };
}

