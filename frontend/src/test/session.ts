// Test helper: a signed-in session for a role (or a set of grants), with the allowances the server computes for it
// from policies/policy.csv (see internal/authz Allowed), so screens are tested with the same can() answers as in the
// app. The reload functions are vi.fn() so a test can check that a screen asked for fresh data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Allowance, Cycle, Me } from '../api/schema.gen';
import { allows, type Role, type Session } from '../auth/session';

export const testCycle: Cycle = { code: '2026-2028', start_year: 2026, end_year: 2028, state: 'open', map_hash: 'h', version: 2 };

/** policies/policy.csv (the server's role matrix), read once: per role, each "object:action" with its reach,
 * anywhere in the ente ('*') or only on the units where the user holds the role ('unit'). */
const policy: Record<string, Array<[reach: string, permission: string]>> = {};
for (const line of readFileSync(join(__dirname, '../../../policies/policy.csv'), 'utf8').split('\n')) {
  const [kind, role, reach, object, action] = line.split(',').map((f) => f.trim());
  if (kind === 'p') (policy[role] ??= []).push([reach, `${object}:${action}`]);
}
if (!policy.rpct) throw new Error('policies/policy.csv: no rows for rpct');

export interface TestGrant {
  role: Role;
  unit?: string;
}

/** What the server would compute for these grants: ente-wide where any role reaches anywhere, else its units. */
function allowances(grants: TestGrant[]): Allowance[] {
  const byPermission = new Map<string, string[]>();
  for (const g of grants) {
    for (const [reach, permission] of policy[g.role] ?? []) {
      const units = byPermission.get(permission) ?? [];
      if (reach === '*') units.splice(0, units.length, '*');
      else if (g.unit && !units.includes('*') && !units.includes(g.unit)) units.push(g.unit);
      byPermission.set(permission, units);
    }
  }
  return [...byPermission]
    .filter(([, units]) => units.length > 0)
    .map(([permission, units]) => {
      const [object, action] = permission.split(':');
      return { object, action, units: units.includes('*') ? units : units.sort() };
    });
}

/** GET /api/v1/me for a user holding these grants. */
export function testMe(grants: TestGrant[], userId = `id-${grants[0]?.role ?? 'user'}`): Me {
  const username = grants[0]?.role ?? 'user';
  return {
    user: { id: userId, username, full_name: `Utente ${username}`, email: '', disabled: false, must_change_password: false, grants, version: 1 },
    ente: { code: 'ente', name: 'Ente di prova' },
    grants,
    allowed: allowances(grants),
  };
}

export interface SessionOptions {
  cycles?: Cycle[];
  /** The selected cycle; testCycle unless given (null: no cycle yet). */
  cycle?: Cycle | null;
}

/** The session the app builds from a Me (auth/session SessionProvider). */
export function sessionOf(me: Me, opts: SessionOptions = {}): Session {
  const cycle = opts.cycle === undefined ? testCycle : opts.cycle;
  return {
    me,
    roles: new Set(me.grants.map((g) => g.role as Role)),
    myUnits: [...new Set(me.grants.filter((g) => g.role === 'director' || g.role === 'referente').map((g) => g.unit ?? ''))].filter(Boolean),
    can: (o, a, u) => allows(me, o, a, u),
    cycles: opts.cycles ?? (cycle ? [cycle] : []),
    cycle,
    selectCycle: vi.fn(),
    reloadCycles: vi.fn(async () => undefined),
    reloadMe: vi.fn(async () => undefined),
  };
}

/** A session of one role: directors and referenti on unit SG unless units are given, other roles ente-wide. */
export function testSession(role: Role, opts: SessionOptions & { units?: string[]; userId?: string } = {}): Session {
  const units = opts.units ?? (role === 'director' || role === 'referente' ? ['SG'] : []);
  const grants: TestGrant[] = units.length ? units.map((unit) => ({ role, unit })) : [{ role }];
  return sessionOf(testMe(grants, opts.userId), opts);
}
