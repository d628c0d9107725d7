import { describe, expect, it } from 'vitest';
import type { Me } from '../api/schema.gen';
import { allows, type Session } from '../auth/session';
import { navItems } from './nav';

// The allowances /me returns for each demo role (policies/policy.csv).
const allowed: Record<string, Me['allowed']> = {
  rpct: ['processmap:read', 'assessment:read', 'assessment:review', 'cycle:manage', 'user:read', 'user:manage', 'audit:read'].map(toAllowance),
  oiv: ['processmap:read', 'assessment:read', 'audit:read', 'oiv_note:write'].map(toAllowance),
  director: ['processmap:read', 'assessment:read'].map(toAllowance).concat([{ object: 'assessment', action: 'write', units: ['AD2'] }]),
  admin: ['processmap:read', 'user:read', 'user:manage'].map(toAllowance),
};

function toAllowance(s: string) {
  const [object, action] = s.split(':');
  return { object, action, units: ['*'] };
}

function visibleFor(role: string): string[] {
  const me = { allowed: allowed[role], grants: [], user: {}, ente: {} } as unknown as Me;
  const session = { can: (o: string, a: string, u?: string[]) => allows(me, o, a, u) } as Session;
  return navItems.filter((i) => i.visible(session)).map((i) => i.to);
}

describe('navigation by role', () => {
  it('gives the RPCT every section', () => {
    expect(visibleFor('rpct')).toEqual(['/', '/mappa', '/revisione', '/registro', '/mappa-di-calore', '/ciclo', '/utenti', '/attivita']);
  });
  it('gives the OIV reading sections, the cycle (for its notes) and the audit trail, no review or users', () => {
    expect(visibleFor('oiv')).toEqual(['/', '/mappa', '/registro', '/mappa-di-calore', '/ciclo', '/attivita']);
  });
  it('gives a director the map and the register, no review or audit', () => {
    expect(visibleFor('director')).toEqual(['/', '/mappa', '/registro', '/mappa-di-calore']);
  });
  it('gives the administrator users and the map, no register content', () => {
    expect(visibleFor('admin')).toEqual(['/', '/mappa', '/utenti']);
  });
});
