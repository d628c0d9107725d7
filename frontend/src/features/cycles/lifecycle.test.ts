import { describe, expect, it } from 'vitest';
import type { AuditRecord, Progress } from '../../api/schema.gen';
import { exclusionsFromAudit, methodologyLock, nextCycleCode, parseBlockers, stepStatus, validCycleCode } from './lifecycle';

const problem = (detail: string) => ({ type: 't', title: 'Conflict', status: 409, code: 'consolidation_blocked', detail });

describe('consolidation blockers', () => {
  it('reads the count and the first codes from the problem the API sends', () => {
    // the handler's text: domain.Conflict("consolidation_blocked", "%d leaves are neither approved nor excluded, e.g. %s", ...)
    expect(parseBlockers(problem('265 leaves are neither approved nor excluded, e.g. A1.1.1.0, A1.1.1.1, A1.1.1.2'))).toEqual({
      total: 265,
      codes: ['A1.1.1.0', 'A1.1.1.1', 'A1.1.1.2'],
    });
    expect(parseBlockers(problem('1 leaves are neither approved nor excluded, e.g. D1.1'))).toEqual({ total: 1, codes: ['D1.1'] });
  });

  it('prefers a structured list when the API carries one', () => {
    expect(parseBlockers({ ...problem('whatever'), blockers: ['X1', 'X2'], pending: 12 })).toEqual({ total: 12, codes: ['X1', 'X2'] });
  });

  it('admits not knowing when the text changes', () => {
    expect(parseBlockers(problem('something else'))).toEqual({ total: null, codes: [] });
  });
});

describe('cycle rules', () => {
  it('orders the states', () => {
    expect(stepStatus('adopted', 'open')).toBe('done');
    expect(stepStatus('adopted', 'adopted')).toBe('current');
    expect(stepStatus('adopted', 'published')).toBe('todo');
  });

  it('locks the methodology once the cycle is closed or an assessment left the draft', () => {
    const progress = (states: Record<string, number>): Progress => ({ units: [{ unit: 'AD1', states, leaves: 3 }] });
    expect(methodologyLock({ state: 'open' }, progress({ draft: 2, not_started: 1 }))).toBeNull();
    // Excluding leaves does not lock the methodology: no assessment left the draft state.
    expect(methodologyLock({ state: 'open' }, progress({ draft: 2, excluded: 3 }))).toBeNull();
    expect(methodologyLock({ state: 'open' }, progress({ draft: 2, submitted: 1 }))).toBe('submitted');
    expect(methodologyLock({ state: 'open' }, progress({ returned: 1 }))).toBe('submitted');
    expect(methodologyLock({ state: 'consolidated' }, undefined)).toBe('cycle_not_open');
  });

  it('proposes the next three-year cycle', () => {
    expect(nextCycleCode({ start_year: 2026, end_year: 2028 })).toBe('2027-2029');
    expect(validCycleCode('2027-2029')).toBe(true);
    expect(validCycleCode('2027-2028')).toBe(false);
    expect(validCycleCode('2027-2029-r1')).toBe(false);
  });

  it('rebuilds the exclusions from the audit trail, the last reason winning', () => {
    const rec = (seq: number, node: string, reason: string): AuditRecord => ({ seq, action: 'exclude', after: JSON.stringify({ node, reason }) });
    expect(exclusionsFromAudit([rec(9, 'B2', 'nuovo motivo valido'), rec(3, 'B2', 'vecchio motivo'), rec(5, 'A1', 'attività cessata'), { seq: 6, action: 'exclude', after: 'not json' }])).toEqual([
      { node: 'A1', reason: 'attività cessata' },
      { node: 'B2', reason: 'nuovo motivo valido' },
    ]);
  });
});
