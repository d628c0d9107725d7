// The editable shape of a methodology profile the ente defines, and the pure edits the editor applies to it: start
// from a shipped profile, resize a scale (the indicators and the matrix follow), add or remove indicators and risk
// levels. The server validates everything (internal/domain/methodology_ente.go); the few local checks here only
// spare a round trip. Field ids are the API's field paths, so a 422 lands on the right input.
import type { Profile } from '../../api/schema.gen';

export interface Level {
  value: number;
  label: string;
  description: string;
}
export interface Indicator {
  code: string;
  name: string;
  question: string;
  levels: Level[];
}
export interface RiskLevel {
  code: string;
  label: string;
  rank: number;
}
export interface Band {
  min: number;
  max: number;
  level: string;
}
export interface ProfileDraft {
  code: string;
  name: string;
  kind: 'qualitative' | 'numeric';
  likelihood_indicators: Indicator[];
  impact_indicators: Indicator[];
  likelihood_aggregation: string;
  impact_aggregation: string;
  likelihood_scale: Level[];
  impact_scale: Level[];
  risk_levels: RiskLevel[];
  matrix: string[][];
  bands: Band[];
  indicator_reason_required: boolean;
  profile_version?: number;
}

export type Axis = 'likelihood' | 'impact';

/** The aggregation rules the engine knows, per kind (numeric profiles: mean, or max for impact). */
export function aggregationsFor(kind: ProfileDraft['kind'], axis: Axis): string[] {
  if (kind === 'numeric') return axis === 'likelihood' ? ['mean'] : ['mean', 'max'];
  return ['max', 'mean', 'mode', 'manual'];
}

const levelsOf = (xs: unknown): Level[] =>
  ((xs as Array<Partial<Level>> | undefined) ?? []).map((l) => ({ value: Number(l.value ?? 0), label: l.label ?? '', description: l.description ?? '' }));

/** A deep, fully typed copy of a profile as the API gives it. */
export function draftOf(p: Profile): ProfileDraft {
  const inds = (xs: unknown): Indicator[] =>
    ((xs as Array<Record<string, unknown>> | undefined) ?? []).map((i) => ({
      code: String(i.code ?? ''),
      name: String(i.name ?? ''),
      question: String(i.question ?? ''),
      levels: levelsOf(i.levels),
    }));
  return {
    code: p.code ?? '',
    name: p.name ?? '',
    kind: p.kind === 'numeric' ? 'numeric' : 'qualitative',
    likelihood_indicators: inds(p.likelihood_indicators),
    impact_indicators: inds(p.impact_indicators),
    likelihood_aggregation: p.likelihood_aggregation ?? 'max',
    impact_aggregation: p.impact_aggregation ?? 'max',
    likelihood_scale: levelsOf(p.likelihood_scale),
    impact_scale: levelsOf(p.impact_scale),
    risk_levels: ((p.risk_levels as Array<Partial<RiskLevel>> | undefined) ?? []).map((l, i) => ({ code: l.code ?? '', label: l.label ?? '', rank: i + 1 })),
    matrix: (p.matrix ?? []).map((row) => [...row]),
    bands: ((p.bands as Array<Partial<Band>> | undefined) ?? []).map((b) => ({ min: Number(b.min ?? 0), max: Number(b.max ?? 0), level: b.level ?? '' })),
    indicator_reason_required: p.indicator_reason_required ?? true,
    profile_version: p.profile_version,
  };
}

/** A new profile of the ente starting from a shipped one: same rules, a code and name of its own. */
export function startFrom(p: Profile, code: string, name: string): ProfileDraft {
  const d = draftOf(p);
  return { ...d, code, name, profile_version: undefined };
}

/** The draft as the API takes it: ranks follow the order, and a qualitative profile has no bands (numeric: no matrix). */
export function toProfile(d: ProfileDraft): Profile {
  const out = {
    ...d,
    risk_levels: d.risk_levels.map((l, i) => ({ ...l, rank: i + 1 })),
    matrix: d.kind === 'qualitative' ? d.matrix : undefined,
    bands: d.kind === 'numeric' ? d.bands : undefined,
  };
  delete (out as Partial<ProfileDraft>).profile_version;
  return out as unknown as Profile;
}

/**
 * Resizes a qualitative axis's scale to n levels (1..n): new levels get a placeholder label to write, every
 * indicator of the axis follows (one answer per scale value), and the matrix gains or loses rows (likelihood) or
 * columns (impact), new cells copying their neighbour so the matrix stays complete and monotone.
 */
export function resizeScale(d: ProfileDraft, axis: Axis, n: number): ProfileDraft {
  const size = Math.max(2, Math.min(11, Math.trunc(n)));
  const resize = (levels: Level[]) => Array.from({ length: size }, (_, i) => levels[i] ?? { value: i + 1, label: '', description: '' }).map((l, i) => ({ ...l, value: i + 1 }));
  const key = `${axis}_scale` as const;
  const indKey = `${axis}_indicators` as const;
  const next = { ...d, [key]: resize(d[key]), [indKey]: d[indKey].map((ind) => ({ ...ind, levels: resize(ind.levels) })) } as ProfileDraft;
  const fallback = d.risk_levels[0]?.code ?? '';
  if (axis === 'likelihood') {
    next.matrix = Array.from({ length: size }, (_, i) => [...(d.matrix[i] ?? d.matrix[d.matrix.length - 1] ?? next.impact_scale.map(() => fallback))]);
  } else {
    next.matrix = d.matrix.map((row) => Array.from({ length: size }, (_, j) => row[j] ?? row[row.length - 1] ?? fallback));
  }
  return next;
}

/** A new indicator on the axis, one answer per scale value (qualitative) with labels to write. */
export function newIndicator(d: ProfileDraft, axis: Axis): Indicator {
  const taken = new Set([...d.likelihood_indicators, ...d.impact_indicators].map((i) => i.code));
  const prefix = axis === 'likelihood' ? 'P' : 'I';
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n++;
  const scale = d.kind === 'qualitative' ? d[`${axis}_scale`] : [1, 2, 3, 4, 5].map((v) => ({ value: v, label: '', description: '' }));
  return { code: `${prefix}-${n}`, name: '', question: '', levels: scale.map((l) => ({ value: l.value, label: l.label, description: '' })) };
}

/** Local checks before sending: what every profile needs. The server checks the rest and names each field. */
export function localProblems(d: ProfileDraft): Record<string, string> {
  const out: Record<string, string> = {};
  if (!/^[a-z0-9][a-z0-9-]{1,31}$/.test(d.code)) out.code = 'code_invalid';
  if (!d.name.trim()) out.name = 'required';
  return out;
}

/** The rank of each matrix cell must not fall when likelihood or impact grows: the cells that break it. */
export function nonMonotoneCells(d: ProfileDraft): string[] {
  const rank = new Map(d.risk_levels.map((l, i) => [l.code, i + 1]));
  const bad: string[] = [];
  d.matrix.forEach((row, i) =>
    row.forEach((c, j) => {
      const r = rank.get(c);
      if (r === undefined) return;
      const below = d.matrix[i + 1]?.[j];
      if (below !== undefined && (rank.get(below) ?? r) < r) bad.push(`matrix[${i + 1}][${j}]`);
      const right = row[j + 1];
      if (right !== undefined && (rank.get(right) ?? r) < r) bad.push(`matrix[${i}][${j + 1}]`);
    }),
  );
  return [...new Set(bad)];
}

/** Example values for the preview: each indicator at its lowest, middle and highest answer in turn. */
export function defaultExamples(d: ProfileDraft): Array<Record<string, number>> {
  const all = [...d.likelihood_indicators, ...d.impact_indicators];
  const pick = (ind: Indicator, which: 0 | 1 | 2) => {
    const vals = ind.levels.map((l) => l.value).sort((a, b) => a - b);
    if (vals.length === 0) return 0;
    return which === 0 ? vals[0] : which === 2 ? vals[vals.length - 1] : vals[Math.floor(vals.length / 2)];
  };
  return ([0, 1, 2] as const).map((w) => Object.fromEntries(all.map((ind) => [ind.code, pick(ind, w)])));
}
