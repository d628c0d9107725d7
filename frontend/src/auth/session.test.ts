import { describe, expect, it } from 'vitest';
import type { Cycle, Me } from '../api/schema.gen';
import { allows, defaultCycle } from './session';

const me = (allowed: Me['allowed']): Me => ({ user: { id: '1', username: 'dir2', full_name: '', email: '', disabled: false, must_change_password: false, grants: [], version: 1 }, ente: {}, grants: [], allowed });

describe('allows', () => {
  const director = me([
    { object: 'assessment', action: 'read', units: ['*'] },
    { object: 'assessment', action: 'write', units: ['AD2'] },
  ]);
  it('grants ente-wide permissions everywhere', () => {
    expect(allows(director, 'assessment', 'read', ['AD3'])).toBe(true);
  });
  it('grants unit permissions only on the holder units', () => {
    expect(allows(director, 'assessment', 'write', ['AD2'])).toBe(true);
    expect(allows(director, 'assessment', 'write', ['AD3'])).toBe(false);
    expect(allows(director, 'assessment', 'write', ['AD3', 'AD2'])).toBe(true);
  });
  it('denies what is not listed, and empty unit lists', () => {
    expect(allows(director, 'assessment', 'review')).toBe(false);
    expect(allows(me([{ object: 'audit', action: 'read', units: [] }]), 'audit', 'read')).toBe(false);
  });
});

describe('defaultCycle', () => {
  const c = (code: string, start: number, state: Cycle['state']): Cycle => ({ code, start_year: start, end_year: start + 2, state, map_hash: '', version: 1 });
  const cycles = [c('2025-2027', 2025, 'adopted'), c('2026-2028', 2026, 'open'), c('2027-2029', 2027, 'adopted')];
  it('keeps the remembered cycle', () => expect(defaultCycle(cycles, '2025-2027')?.code).toBe('2025-2027'));
  it('prefers the newest open cycle', () => expect(defaultCycle(cycles, null)?.code).toBe('2026-2028'));
  it('falls back to the newest', () => expect(defaultCycle([cycles[0], cycles[2]], 'gone')?.code).toBe('2027-2029'));
  it('is null without cycles', () => expect(defaultCycle([], null)).toBeNull());
});
