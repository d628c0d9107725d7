// The heat map as data: the axes to draw, one cell per likelihood × impact with its count and level, and the
// accessible label of a cell. Pure functions, tested without rendering.
import type { TFunction } from 'i18next';
import type { HeatCell, Profile } from '../../api/schema.gen';
import { cellLevel } from '../../lib/register/data';

export interface AxisStep {
  value: number;
  label: string;
  description?: string;
}

export interface HeatmapResponse {
  methodology?: string;
  likelihood_axis?: AxisStep[];
  impact_axis?: AxisStep[];
  inherent?: HeatCell[];
  residual?: HeatCell[];
}

export interface GridCell {
  likelihood: number;
  impact: number;
  count: number;
  level: string;
}

export interface Grid {
  /** impact values, left to right */
  impact: AxisStep[];
  /** likelihood values, highest first (top row) */
  likelihood: AxisStep[];
  /** rows[i] belongs to likelihood[i]; each row follows impact */
  rows: GridCell[][];
  total: number;
}

/**
 * The steps of an axis to draw, in ascending order. Numeric profiles have a 0 step ("nessuna probabilità"):
 * it is drawn only when some risk falls there, so the usual 5×5 matrix shows unless a risk would be hidden.
 */
export function axisSteps(axis: AxisStep[] | undefined, used: number[]): AxisStep[] {
  const steps = [...(axis ?? [])].sort((a, b) => a.value - b.value);
  // a cell outside the axis (a profile changed after scoring) still gets a row or column
  for (const v of used) if (!steps.some((s) => s.value === v)) steps.push({ value: v, label: String(v) });
  steps.sort((a, b) => a.value - b.value);
  return steps.filter((s) => s.value !== 0 || used.includes(0));
}

export function buildGrid(data: HeatmapResponse, kind: 'inherent' | 'residual', profile?: Profile | null): Grid {
  const cells = (kind === 'inherent' ? data.inherent : data.residual) ?? [];
  const count = new Map<string, number>();
  let total = 0;
  for (const c of cells) {
    const key = `${c.likelihood ?? 0}-${c.impact ?? 0}`;
    count.set(key, (count.get(key) ?? 0) + (c.count ?? 0));
    total += c.count ?? 0;
  }
  const used = (f: 'likelihood' | 'impact') => cells.filter((c) => (c.count ?? 0) > 0).map((c) => c[f] ?? 0);
  const impact = axisSteps(data.impact_axis, used('impact'));
  const likelihood = axisSteps(data.likelihood_axis, used('likelihood')).reverse();
  const rows = likelihood.map((l) =>
    impact.map((i) => ({ likelihood: l.value, impact: i.value, count: count.get(`${l.value}-${i.value}`) ?? 0, level: cellLevel(profile, l.value, i.value) })),
  );
  return { impact, likelihood, rows, total };
}

/** The label of a level code: the profile's, else the shared translation, else the code. */
export function levelLabel(t: TFunction, profile: Profile | null | undefined, code: string): string {
  if (!code) return t('heatmap:noLevel');
  const own = (profile?.risk_levels as Array<{ code?: string; label?: string }> | undefined)?.find((l) => l.code === code)?.label;
  return t(`common:levels.${code}`, { defaultValue: own ?? code });
}

/**
 * "3 · Alto. Probabilità 4, impatto 5: 3 rischi, livello alto. Filtra il registro": the visible text first, so
 * the name contains the label a speech-input user reads (WCAG 2.5.3), then the cell and the action.
 */
export function cellAriaLabel(t: TFunction, cell: GridCell, level: string): string {
  return t('heatmap:cellLabel', { text: cellText(t, cell, level), likelihood: cell.likelihood, impact: cell.impact, count: cell.count, level: level.toLowerCase() });
}

/** "3 · Alto" */
export function cellText(t: TFunction, cell: GridCell, level: string): string {
  return t('heatmap:cellText', { count: cell.count, level });
}
