// Pure rules of the cycle screen: the order of the states, what blocks consolidation, when the methodology is
// locked, the code of the next cycle, and the exclusions recovered from the audit trail.
import type { AuditRecord, Cycle, Problem, Progress } from '../../api/schema.gen';
import { collator } from '../../lib/format';

export const cycleStates = ['open', 'consolidated', 'adopted', 'published'] as const;
export type CycleState = (typeof cycleStates)[number];

export type StepStatus = 'done' | 'current' | 'todo';

/** Where each state stands relative to the cycle's one. */
export function stepStatus(current: CycleState, step: CycleState): StepStatus {
  const a = cycleStates.indexOf(current);
  const b = cycleStates.indexOf(step);
  return b < a ? 'done' : b === a ? 'current' : 'todo';
}

export interface Blockers {
  /** How many leaves are neither approved nor excluded (null when the server did not say). */
  total: number | null;
  /** The first of them, in map order (the server lists at most ten). */
  codes: string[];
}

/**
 * The leaves blocking consolidation, from a 409 consolidation_blocked. The API carries them only in the
 * problem's detail: "265 leaves are neither approved nor excluded, e.g. A1.1.1.0, A1.1.1.1, ..." (at most ten
 * codes); a structured field, when the API adds one, is preferred.
 */
export function parseBlockers(problem: Problem & { blockers?: string[]; pending?: number }): Blockers {
  if (Array.isArray(problem.blockers)) return { total: problem.pending ?? problem.blockers.length, codes: problem.blockers };
  const m = /^(\d+) leaves? (?:is|are) neither approved nor excluded(?:, e\.g\. (.+))?$/.exec((problem.detail ?? '').trim());
  if (!m) return { total: null, codes: [] };
  const codes = (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { total: Number(m[1]), codes };
}

export type MethodologyLock = 'cycle_not_open' | 'submitted' | null;

/** The server refuses a methodology change once the cycle is not open or any assessment left the draft state. */
export function methodologyLock(cycle: Pick<Cycle, 'state'>, progress: Progress | undefined): MethodologyLock {
  if (cycle.state !== 'open') return 'cycle_not_open';
  for (const u of progress?.units ?? []) {
    for (const [state, n] of Object.entries(u.states ?? {})) {
      if (n > 0 && state !== 'draft' && state !== 'not_started' && state !== 'excluded') return 'submitted';
    }
  }
  return null;
}

/** The three-year cycle after this one: 2026-2028 → 2027-2029 (a revision's suffix is dropped). */
export function nextCycleCode(c: Pick<Cycle, 'start_year' | 'end_year'>): string {
  return `${c.start_year + 1}-${c.end_year + 1}`;
}

/** A cycle code the API accepts as a roll-forward target: three calendar years, e.g. 2027-2029. */
export function validCycleCode(code: string): boolean {
  const m = /^(\d{4})-(\d{4})$/.exec(code.trim());
  return !!m && Number(m[2]) === Number(m[1]) + 2;
}

export interface Exclusion {
  node: string;
  reason: string;
}

/**
 * The API has no "list exclusions" route (POST .../exclusions answers with the list): the screen rebuilds it from
 * the cycle's "exclude" audit records, the last reason of each leaf winning, as the store replaces it.
 */
export function exclusionsFromAudit(records: AuditRecord[]): Exclusion[] {
  const byNode = new Map<string, string>();
  const ordered = [...records].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  for (const r of ordered) {
    if (r.action !== 'exclude' || !r.after) continue;
    try {
      const after = JSON.parse(r.after) as { node?: string; reason?: string };
      if (after.node) byNode.set(after.node, (after.reason ?? '').trim());
    } catch {
      /* a record that is not JSON is not an exclusion */
    }
  }
  return [...byNode.entries()].map(([node, reason]) => ({ node, reason })).sort((a, b) => collator.compare(a.node, b.node));
}

/** SHA-256 of a download as lowercase hex, or null where the browser offers no Web Crypto (insecure origin). */
export async function sha256Hex(data: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const buf = await data.arrayBuffer();
  const digest = await subtle.digest('SHA-256', buf);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Counts of the leaves per state over the whole cycle (a leaf owned by two units counts in both). */
export function stateTotals(progress: Progress | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of progress?.units ?? []) {
    for (const [state, n] of Object.entries(u.states ?? {})) out[state] = (out[state] ?? 0) + n;
  }
  return out;
}
