import { describe, expect, it } from 'vitest';
import type { Role } from '../auth/session';
import { testSession } from '../test/session';
import { navItems } from './nav';

// The allowances /me returns for each demo role (policies/policy.csv); the director holds the role on AD2.
function visibleFor(role: Role): string[] {
  const session = testSession(role, { units: role === 'director' ? ['AD2'] : undefined });
  return navItems.filter((i) => i.visible(session)).map((i) => i.to);
}

describe('navigation by role', () => {
  it('gives the RPCT every section', () => {
    expect(visibleFor('rpct')).toEqual(['/', '/mappa', '/revisione', '/campagna', '/registro', '/mappa-di-calore', '/ciclo', '/monitoraggio', '/sottosezione', '/misure-generali', '/trasparenza', '/catalogo', '/utenti', '/attivita', '/notifiche']);
  });
  it('gives the OIV reading sections, the cycle (for its notes) and the audit trail, no review or users', () => {
    expect(visibleFor('oiv')).toEqual(['/', '/mappa', '/campagna', '/registro', '/mappa-di-calore', '/ciclo', '/monitoraggio', '/sottosezione', '/misure-generali', '/trasparenza', '/catalogo', '/attivita', '/notifiche']);
  });
  it('gives a director the map and the register, no review or audit', () => {
    expect(visibleFor('director')).toEqual(['/', '/mappa', '/campagna', '/registro', '/mappa-di-calore', '/monitoraggio', '/sottosezione', '/misure-generali', '/trasparenza', '/catalogo', '/notifiche']);
  });
  it('gives the administrator users and the map, no register content', () => {
    expect(visibleFor('admin')).toEqual(['/', '/mappa', '/catalogo', '/utenti', '/notifiche', '/notifiche/email']);
  });
});
