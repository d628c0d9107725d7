// The sottosezione's parts as the API serves them (GET/PUT /cycles/:cycle/sottosezione/<part>): the generated
// types plus what the server computes for each part, and the pure helpers the screens use.
import type {
  ConsultationPartView,
  ContextPartView,
  ObjectivesPartView,
  RiesamePartView,
  SelfCheckPartView,
} from '../../api/schema.gen';

export type PartSegment = 'context' | 'objectives' | 'consultation' | 'riesame' | 'self-check';

/** The pages of the area, in the sottosezione's order, with their Italian path. */
export const pages = [
  { path: 'contesto', part: 'context' },
  { path: 'obiettivi', part: 'objectives' },
  { path: 'consultazione', part: 'consultation' },
  { path: 'riesame', part: 'riesame' },
  { path: 'autovalutazione', part: 'self-check' },
  { path: 'regime', part: null },
] as const;

export interface Trend {
  category: string;
  label: string;
  org_unit?: string;
  points: Array<{ year: number; value: number; item: string }>;
  change?: number;
}

export interface Coverage {
  processes: number;
  subprocesses: number;
  leaves: number;
  assessed_leaves: number;
  excluded_leaves: number;
  marked: number;
  described: number;
  processes_without_unit: string[];
  processes_without_area: string[];
  processes_undescribed: number;
  assessed_percent: number;
  risk_areas_covered: string[];
  risk_areas_without_leaves: string[];
}

export interface AutoCheck {
  passed: boolean;
  summary: string;
  details: string[];
  evidence: string[];
}

export interface RiesamePrefill {
  /** the cycle of the round: this one, or the previous one before this one's first round closes */
  cycle: string;
  round: string;
  measures: number;
  by_status: Record<string, number>;
  not_confirmed: number;
  not_suitable: string[];
  not_implemented: string[];
  worked: string;
  not_worked: string;
}

export type ContextView = ContextPartView & { computed: { coverage?: Coverage; trends?: Trend[] } };
export type ObjectivesView = ObjectivesPartView & { computed: { performance_objectives?: Array<{ code: string; title: string }> } };
export type ConsultationView = ConsultationPartView;
export type RiesameView = RiesamePartView & { computed: { prefill?: RiesamePrefill } };
export type SelfCheckView = SelfCheckPartView & { computed: { checks?: Record<string, AutoCheck> } };

export const externalCategories = ['territorio', 'economia', 'criminalita', 'corruzione', 'stakeholder'] as const;
export const internalCategories = [
  'organizzazione',
  'personale',
  'procedimenti_disciplinari',
  'procedimenti_penali',
  'segnalazioni_whistleblowing',
  'rilievi_controlli',
] as const;

/** The field key of a server path: "content.external.items[0].label" → "external.items[0].label". */
export const fieldOf = (path: string) => path.replace(/^content\./, '');

/** A DOM id for a field key (brackets and dots are not welcome in ids used by CSS selectors). */
export const idOf = (prefix: string, key: string) => `${prefix}-${key.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;

export const isYear = (s: string) => /^\d{4}$/.test(s) && Number(s) >= 1990 && Number(s) <= 2100;
export const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(s).getTime());

/** Parses an Italian or plain number ("1.234,5" or "1234.5"); undefined when empty, NaN when not a number. */
export function parseNumber(s: string): number | undefined {
  const v = s.trim();
  if (!v) return undefined;
  const normal = v.includes(',') ? v.replace(/\./g, '').replace(',', '.') : v;
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
}

/** Evidence links, one per line, as the API takes them. */
export const linesOf = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** An evidence link the server accepts: an http(s) address or a path inside Argine. */
export const isEvidenceLink = (l: string) => /^(https?:\/\/|\/)\S+$/.test(l);
