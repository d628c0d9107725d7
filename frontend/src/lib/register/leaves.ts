// Leaves of the register as the review queue and the home dashboards see them: every row of a cycle's register
// (pages of the API's maximum, read by cursor), folded into one item per leaf with its worst inherent level.
// Shared by the review and home features, so neither imports the other's files.
import type { RegisterRow } from '../../api/schema.gen';
import { walkRegister } from './data';

/** Risk levels from the lowest: the worst of a leaf's risks is its level. */
export const LEVEL_ORDER = ['molto_basso', 'basso', 'medio', 'alto', 'molto_alto', 'critico'];

export function worstLevel(levels: Array<string | undefined>): string {
  let worst = '';
  for (const l of levels) if (l && LEVEL_ORDER.indexOf(l) > LEVEL_ORDER.indexOf(worst)) worst = l;
  return worst;
}

/** Every row of the register matching the query (pages of 1000, the API's maximum, read in order by cursor). */
export function registerAll(cycle: string, query: Record<string, string>, signal?: AbortSignal): Promise<RegisterRow[]> {
  return walkRegister(cycle, query, signal);
}

export interface QueueItem {
  code: string;
  title: string;
  units: string[];
  level: string;
  risks: number;
  submittedAt?: string;
  submittedBy?: string;
}

/** The register rows (one per leaf × risk) folded into one item per leaf, in map order. */
export function groupByLeaf(rows: RegisterRow[]): QueueItem[] {
  const byCode = new Map<string, QueueItem>();
  const levels = new Map<string, string[]>();
  for (const r of rows) {
    const code = r.node ?? '';
    if (!byCode.has(code)) {
      byCode.set(code, { code, title: r.node_title ?? '', units: r.units ?? [], level: '', risks: 0 });
      levels.set(code, []);
    }
    byCode.get(code)!.risks++;
    levels.get(code)!.push(r.inherent_level ?? '');
  }
  for (const [code, item] of byCode) item.level = worstLevel(levels.get(code)!);
  return [...byCode.values()];
}
