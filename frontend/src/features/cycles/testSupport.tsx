// Test support: a signed-in session built from roles, with the allowances the server's policy gives them
// (policies/policy.csv), so a screen can be rendered without a server. Used by the cycle, user and audit tests.
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { Cycle, Me } from '../../api/schema.gen';
import { allows, type Role, type Session } from '../../auth/session';

const policy: Record<Role, string[]> = {
  admin: ['processmap:read', 'user:read', 'user:manage', 'cycle:read', 'methodology:read'],
  rpct: [
    'processmap:read',
    'assessment:read',
    'assessment:review',
    'methodology:read',
    'methodology:write',
    'cycle:read',
    'cycle:manage',
    'user:read',
    'user:manage',
    'audit:read',
    'oiv_note:read',
  ],
  oiv: ['processmap:read', 'assessment:read', 'methodology:read', 'cycle:read', 'audit:read', 'oiv_note:read', 'oiv_note:write'],
  director: ['processmap:read', 'assessment:read', 'cycle:read'],
  referente: ['processmap:read', 'assessment:read', 'cycle:read'],
};

export const demoCycle: Cycle = { code: '2026-2028', start_year: 2026, end_year: 2028, state: 'open', map_hash: 'x', version: 2 };

export function fakeSession(role: Role, cycle: Cycle | null = demoCycle, userId = `id-${role}`): Session {
  const me: Me = {
    user: { id: userId, username: role, full_name: '', email: '', disabled: false, grants: [{ role }], version: 1 },
    ente: { code: 'cciaa-basilicata', name: 'CCIAA' },
    grants: [{ role }],
    allowed: policy[role].map((p) => {
      const [object, action] = p.split(':');
      return { object, action, units: ['*'] };
    }),
  };
  return {
    me,
    roles: new Set([role]),
    myUnits: [],
    can: (o, a, u) => allows(me, o, a, u),
    cycles: cycle ? [cycle] : [],
    cycle,
    selectCycle: vi.fn(),
    reloadCycles: vi.fn(async () => undefined),
    reloadMe: vi.fn(async () => undefined),
  };
}

/**
 * Stand-in for components/Modal in tests: design-react-kit's package exports only the non-standard "module" and
 * "main" conditions, which Vitest's resolver does not match, so screens with dialogs mock the Dialog with this
 * (same contract: a labelled dialog with its footer, rendered only when open).
 */
export function StubDialog({ open, title, children, footer, id, onClose }: { open: boolean; title: string; children: ReactNode; footer?: ReactNode; id: string; onClose: () => void }) {
  if (!open) return null;
  return (
    <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <button type="button" onClick={onClose}>
        Chiudi
      </button>
      {children}
      {footer}
    </div>
  );
}
