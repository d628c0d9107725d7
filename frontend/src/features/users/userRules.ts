// The user-management rules the form checks before calling the server (the server checks them again), and the
// mapping of the API's field paths to the form's fields.
import type { Grant, User } from '../../api/schema.gen';
import { collator } from '../../lib/format';

export const roles = ['admin', 'rpct', 'director', 'referente', 'oiv'] as const;
export type RoleCode = (typeof roles)[number];

/** Director and referente act on a unit's leaves: their grant names the unit. */
export const unitScoped = (role: string) => role === 'director' || role === 'referente';

/** Only an RPCT grants or revokes the RPCT and OIV roles (the server answers 403 grant_requires_rpct). */
export const needsRpct = (role: string) => role === 'rpct' || role === 'oiv';

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const minPassword = 12;

/** Error codes by field; the screen turns them into Italian (users:fieldErrors.<code>). */
export type Problems = Record<string, string>;

export function normalizeUsername(u: string): string {
  return u.trim().toLowerCase();
}

export function checkPassword(password: string, username: string): string | null {
  const n = [...password].length;
  if (n === 0) return 'required';
  if (n < minPassword) return 'password_too_short';
  const u = normalizeUsername(username);
  if (u.length >= 3 && password.toLowerCase().includes(u)) return 'password_contains_username';
  return null;
}

export interface NewUserForm {
  username: string;
  fullName: string;
  email: string;
  password: string;
  role: string;
  unit: string;
}

export function validateNewUser(f: NewUserForm): Problems {
  const p: Problems = {};
  const username = normalizeUsername(f.username);
  if (!username) p.username = 'required';
  else if (!usernamePattern.test(username)) p.username = 'username_invalid';
  if (!f.fullName.trim()) p.full_name = 'required';
  if (f.email.trim() && !emailPattern.test(f.email.trim())) p.email = 'email_invalid';
  const pw = checkPassword(f.password, username);
  if (pw) p.password = pw;
  if (f.role && unitScoped(f.role) && !f.unit) p.unit = 'required';
  return p;
}

export function validateProfile(fullName: string, email: string): Problems {
  const p: Problems = {};
  if (!fullName.trim()) p.full_name = 'required';
  if (email.trim() && !emailPattern.test(email.trim())) p.email = 'email_invalid';
  return p;
}

export function validateGrant(role: string, unit: string, existing: Grant[]): Problems {
  const p: Problems = {};
  if (!role) p.role = 'required';
  else if (unitScoped(role) && !unit) p.unit = 'required';
  else if (existing.some((g) => g.role === role && (g.unit ?? '') === (unitScoped(role) ? unit : ''))) p.role = 'grant_exists';
  return p;
}

/** The form field an API error path points at: "grants[0].unit" and ".unit" are the unit picker. */
export function fieldOfPath(path: string): string | undefined {
  const last = path.replace(/^grants\[\d+\]/, '').replace(/^\./, '');
  if (['username', 'full_name', 'email', 'password', 'role', 'unit'].includes(last)) return last;
  return undefined;
}

/** Grants in a stable, readable order: ente-wide roles first, then by unit. */
export function sortedGrants(grants: Grant[]): Grant[] {
  return [...grants].sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role) || collator.compare(a.unit ?? '', b.unit ?? ''));
}

/** Users by username, with a free-text filter on username, name, e-mail and units. */
export function filterUsers(users: User[], q: string): User[] {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return users
    .filter((u) => {
      const text = [u.username, u.full_name, u.email, ...u.grants.map((g) => `${g.role} ${g.unit ?? ''}`)].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => collator.compare(a.username, b.username));
}
