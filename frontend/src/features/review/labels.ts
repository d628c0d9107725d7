// Lookups the review screens use to show codes as words (loaded by lib/lookups, shared with the audit trail), and
// the helpers that word an indicator and its answer.
import { type Lookups } from '../../lib/lookups';

export { emptyLookups, loadLookups, type Indicator, type Lookups, type ScaleLevel } from '../../lib/lookups';

/** "Alto (3)": the answer's label with its value, never a bare number. */
export function answerLabel(l: Lookups, code: string, value: number | string | undefined): string {
  if (value === undefined || value === '') return '';
  const ind = l.indicators.get(code);
  const level = ind?.levels.find((x) => String(x.value) === String(value));
  return level ? `${level.label} (${value})` : String(value);
}

export function indicatorName(l: Lookups, code: string): string {
  const ind = l.indicators.get(code);
  return ind ? `${ind.name} (${code})` : code;
}
