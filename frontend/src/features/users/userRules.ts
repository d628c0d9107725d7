// The user-management rules the form checks before calling the server (the server checks them again), and the
// mapping of the API's field paths to the form's fields.
import type { Grant, PrivilegedRequestKind, User } from '../../api/schema.gen';
import { collator } from '../../lib/format';

export const roles = ['admin', 'rpct', 'director', 'referente', 'oiv'] as const;
export type RoleCode = (typeof roles)[number];

/** Director and referente act on a unit's leaves: their grant names the unit. */
export const unitScoped = (role: string) => role === 'director' || role === 'referente';

/** The RPCT, OIV and admin roles are never granted or revoked by one person: a request that another person
 * confirms (administrators confirm requests, so making one is itself a two-person change). */
export const needsRequest = (role: string) => role === 'rpct' || role === 'oiv' || role === 'admin';

/** The roles the grant form offers: RPCT, OIV and admin go through a request instead. */
export const directRoles = roles.filter((r) => !needsRequest(r));

/** Who is acting, as the rules below need it. */
export interface Acting {
  id: string;
  roles: ReadonlySet<string>;
}

/** The two-person role a user holds (the OIV first: it excludes every other role; then RPCT, then admin), or ''. */
export function privilegedRole(u: Pick<User, 'grants'>): 'rpct' | 'oiv' | 'admin' | '' {
  if (u.grants.some((g) => g.role === 'oiv')) return 'oiv';
  if (u.grants.some((g) => g.role === 'rpct')) return 'rpct';
  if (u.grants.some((g) => g.role === 'admin')) return 'admin';
  return '';
}

/** What the actor may change directly on a user's account; the server (internal/service/privileged.go) decides
 * the same way: nobody changes their own grants or resets their own password here; the administrator leaves
 * RPCT and OIV accounts alone, the RPCT leaves OIV accounts alone and changes another RPCT's password or state
 * only through a request. */
export function directRights(actor: Acting, u: User) {
  const self = u.id === actor.id;
  const held = privilegedRole(u);
  const touch = self || !held || held === 'admin' || (held === 'rpct' && actor.roles.has('rpct'));
  return { touch, profile: touch, grants: touch && !self, status: touch && !held && !self, password: touch && !held && !self };
}

/** The requests the actor may present about a user (the server checks them again). */
export function requestKinds(actor: Acting, u: User): PrivilegedRequestKind[] {
  if (u.id === actor.id) return [];
  const isAdmin = actor.roles.has('admin');
  const held = privilegedRole(u);
  if (held === 'oiv') return !isAdmin ? [] : u.disabled ? ['enable_oiv', 'revoke_oiv'] : ['reset_password_oiv', 'disable_oiv', 'revoke_oiv'];
  if (held === 'rpct') return u.disabled ? ['enable_rpct', 'revoke_rpct'] : ['reset_password_rpct', 'disable_rpct', 'revoke_rpct'];
  // The administrator holds no register role; the OIV holds nothing else.
  if (held === 'admin') return u.disabled ? ['enable_admin', 'revoke_admin'] : ['reset_password_admin', 'disable_admin', 'revoke_admin'];
  const kinds: PrivilegedRequestKind[] = ['grant_rpct'];
  if (u.grants.length === 0) kinds.push('grant_admin');
  if (isAdmin && u.grants.length === 0) kinds.push('grant_oiv');
  return kinds;
}

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
