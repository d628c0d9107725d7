// A worked example of a profile's rules, for the methodology page: example indicator values, how the profile
// aggregates them into likelihood and impact, and the level read in the matrix (qualitative) or in the bands of
// P × I (numeric). The same rules as internal/domain: max; mean rounded half up to the scale (qualitative) or
// kept as is (numeric); mode with ties to the higher value; manual takes the assessor's value.
import type { Profile } from '../../api/schema.gen';

interface Ind {
  code: string;
  levels: Array<{ value: number }>;
}

export interface WorkedExample {
  likelihood: Array<{ code: string; value: number }>;
  impact: Array<{ code: string; value: number }>;
  l: number;
  i: number;
  product?: number;
  level: string;
}

function values(inds: Ind[], pick: (vals: number[], n: number) => number): Array<{ code: string; value: number }> {
  return inds.map((ind, n) => {
    const vals = (ind.levels ?? []).map((l) => Number(l.value)).sort((a, b) => a - b);
    return { code: ind.code, value: vals.length ? pick(vals, n) : 0 };
  });
}

export function aggregate(rule: string, vals: number[], numeric: boolean): number {
  if (vals.length === 0) return 0;
  switch (rule) {
    case 'max':
      return Math.max(...vals);
    case 'mode': {
      const count = new Map<number, number>();
      for (const v of vals) count.set(v, (count.get(v) ?? 0) + 1);
      return [...count].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
    }
    default: {
      // mean (and manual, whose example takes the mean as the assessor's choice)
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      return numeric ? Math.round(mean * 100) / 100 : Math.floor(mean + 0.5);
    }
  }
}

/** The worked example of a profile, or null when the profile lacks what it needs. */
export function workedExample(p: Profile): WorkedExample | null {
  const li = (p.likelihood_indicators ?? []) as unknown as Ind[];
  const ii = (p.impact_indicators ?? []) as unknown as Ind[];
  if (li.length === 0 || ii.length === 0) return null;
  // Likelihood: highest, lowest, middle values in turn; impact: middle values. A spread that shows the rule.
  const likelihood = values(li, (v, n) => (n % 3 === 0 ? v[v.length - 1] : n % 3 === 1 ? v[0] : v[Math.floor(v.length / 2)]));
  const impact = values(ii, (v) => v[Math.floor(v.length / 2)]);
  const numeric = p.kind === 'numeric';
  const l = aggregate(p.likelihood_aggregation ?? 'max', likelihood.map((x) => x.value), numeric);
  const i = aggregate(p.impact_aggregation ?? 'max', impact.map((x) => x.value), numeric);
  if (numeric) {
    const product = Math.round(l * i * 100) / 100;
    const bands = (p.bands ?? []) as Array<{ min: number; max: number; level: string }>;
    const band = bands.find((b) => product >= b.min && (product < b.max || b.max === 25));
    return { likelihood, impact, l, i, product, level: band?.level ?? '' };
  }
  const level = p.matrix?.[l - 1]?.[i - 1] ?? '';
  return { likelihood, impact, l, i, level };
}
