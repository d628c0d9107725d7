// Test helper: a signed-in session for a role, with the allowances the server computes for it (see
// internal/authz), so components are tested with the same can() answers as in the app.
import type { Allowance, Cycle, Me } from '../../api/schema.gen';
import { allows, type Role, type Session } from '../../auth/session';

export const testCycle: Cycle = { code: '2026-2028', start_year: 2026, end_year: 2028, state: 'open', map_hash: 'h', version: 1 };

function allowances(role: Role, units: string[]): Allowance[] {
  const all = ['*'];
  switch (role) {
    case 'rpct':
      return [
        { object: 'assessment', action: 'read', units: all },
        { object: 'assessment', action: 'review', units: all },
        { object: 'audit', action: 'read', units: all },
        { object: 'cycle', action: 'manage', units: all },
        { object: 'processmap', action: 'read', units: all },
      ];
    case 'director':
    case 'referente':
      return [
        { object: 'assessment', action: 'read', units: all },
        { object: 'assessment', action: 'write', units },
        ...(role === 'director' ? [{ object: 'assessment', action: 'submit', units }] : []),
        { object: 'processmap', action: 'read', units: all },
      ];
    case 'oiv':
      return [
        { object: 'assessment', action: 'read', units: all },
        { object: 'audit', action: 'read', units: all },
        { object: 'oiv_note', action: 'write', units: all },
        { object: 'processmap', action: 'read', units: all },
      ];
    case 'admin':
      return [
        { object: 'user', action: 'read', units: all },
        { object: 'user', action: 'manage', units: all },
        { object: 'processmap', action: 'read', units: all },
      ];
  }
}

export function testSession(role: Role, opts: { units?: string[]; userId?: string; cycles?: Cycle[]; cycle?: Cycle | null } = {}): Session {
  const units = opts.units ?? (role === 'director' || role === 'referente' ? ['SG'] : []);
  const grants = units.length ? units.map((u) => ({ role, unit: u })) : [{ role }];
  const me: Me = {
    user: { id: opts.userId ?? `${role}-id`, username: role, full_name: `Utente ${role}`, email: '', disabled: false, grants, version: 1 },
    ente: { code: 'ente', name: 'Ente di prova' },
    grants,
    allowed: allowances(role, units),
  };
  const cycles = opts.cycles ?? [testCycle];
  return {
    me,
    roles: new Set([role]),
    myUnits: role === 'director' || role === 'referente' ? units : [],
    can: (o, a, u) => allows(me, o, a, u),
    cycles,
    cycle: opts.cycle === undefined ? testCycle : opts.cycle,
    selectCycle: () => undefined,
    reloadCycles: async () => undefined,
    reloadMe: async () => undefined,
  };
}

/** A fake of api.call answering by operation; unknown operations fail loudly. */
export type Route = (opts: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown }) => unknown;

export function fakeApi(routes: Record<string, Route>) {
  const calls: Array<{ op: string; opts: Parameters<Route>[0] }> = [];
  const impl = async (op: string, opts: Parameters<Route>[0] = {}) => {
    calls.push({ op, opts });
    const r = routes[op];
    if (!r) throw new Error(`unexpected call ${op}`);
    return r(opts);
  };
  return { impl, calls };
}
