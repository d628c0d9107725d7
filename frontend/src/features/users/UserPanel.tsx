// One user's management: profile (optimistic locking: a conflict keeps what was typed), roles with the unit for
// directors and referenti, disable/enable, password reset.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Grant, RefItem, User } from '../../api/schema.gen';
import { announce } from '../../lib/announce';
import { formatDateTime, personLabel } from '../../lib/format';
import { apiFieldErrors, ConfirmDialog, focusFirstInvalid, ProblemAlert, SelectField, TextField, type FieldErrors } from '../../components/FormKit';
import { PrivilegedActions } from './PrivilegedRequests';
import { checkPassword, directRights, directRoles, fieldOfPath, needsRequest, sortedGrants, unitScoped, validateGrant, validateProfile, type Acting, type Problems } from './userRules';
import { UserSessions } from './UserSessions';

/** Italian messages for the problems found by the form or mapped from the API. */
export function useProblemText() {
  const { t } = useTranslation('users');
  return (p: Problems): FieldErrors => Object.fromEntries(Object.entries(p).map(([k, code]) => [k, t(`fieldErrors.${code}`, { defaultValue: t('fieldErrors.invalid') })]));
}

/** Errors the API reports as a whole problem but that belong to one field. */
export function fieldOfProblem(err: unknown): Problems {
  if (!(err instanceof ApiError)) return {};
  switch (err.code) {
    case 'username_taken':
      return { username: 'username_taken' };
    case 'request_required':
      return { role: 'request_required' };
    case 'grant_exists':
      return { role: 'grant_exists' };
    default:
      return {};
  }
}

export function RoleOptions({ withNone }: { withNone?: boolean }) {
  const { t } = useTranslation('users');
  return (
    <>
      <option value="">{withNone ? t('roleNone') : t('roleChoose')}</option>
      {directRoles.map((r) => (
        <option key={r} value={r}>
          {t(`common:roles.${r}`)}
        </option>
      ))}
    </>
  );
}

function UnitOptions({ units }: { units: RefItem[] }) {
  const { t } = useTranslation('users');
  return (
    <>
      <option value="">{t('unitChoose')}</option>
      {units.map((u) => (
        <option key={u.code} value={u.code}>
          {u.code} – {u.title}
        </option>
      ))}
    </>
  );
}

/** The unit of a director's or referente's grant: a choice among the map's units, or its code when the map has none. */
export function UnitField({ id, units, value, onChange, error }: { id: string; units: RefItem[]; value: string; onChange: (v: string) => void; error?: string }) {
  const { t } = useTranslation('users');
  return units.length > 0 ? (
    <SelectField id={id} label={t('fields.unit')} value={value} onChange={onChange} error={error} hint={t('grants.unitHint')} required>
      <UnitOptions units={units} />
    </SelectField>
  ) : (
    <TextField id={id} label={t('fields.unitCode')} value={value} onChange={onChange} error={error} hint={t('grants.unitHint')} required spellCheck={false} />
  );
}

export function GrantLabel({ g, units }: { g: Grant; units?: RefItem[] }) {
  const { t } = useTranslation('users');
  const title = units?.find((u) => u.code === g.unit)?.title;
  return (
    <span className="text-nowrap">
      {t(`common:roles.${g.role}`)}
      {g.unit && `, ${t('unitShort', { unit: g.unit })}`}
      {title && <span className="visually-hidden">{` (${title})`}</span>}
    </span>
  );
}

function ProfileForm({ user, canManage, onSaved }: { user: User; canManage: boolean; onSaved: (u: User) => void }) {
  const { t } = useTranslation('users');
  const text = useProblemText();
  const [base, setBase] = useState(user);
  const [fullName, setFullName] = useState(user.full_name);
  const [email, setEmail] = useState(user.email);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<User | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const dirty = fullName !== base.full_name || email !== base.email;

  // The user changed elsewhere on this screen (a role, the state): follow it, keeping what is being typed.
  useEffect(() => {
    if (user.version === base.version) return;
    if (!dirty) {
      setBase(user);
      setFullName(user.full_name);
      setEmail(user.email);
    } else if (user.full_name === base.full_name && user.email === base.email) {
      setBase(user); // only other fields moved: the edit still applies to what was read
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setFailure(null);
    const p = validateProfile(fullName, email);
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const u = await api.call<User>('PATCH /api/v1/users/:id', {
        params: { id: user.id },
        body: { full_name: fullName.trim(), email: email.trim(), version: (conflict ?? base).version },
      });
      setBase(u);
      setFullName(u.full_name);
      setEmail(u.email);
      setConflict(null);
      setSaved(true);
      announce(t('profile.saved'));
      onSaved(u);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        // Keep the typed values; show what is stored now; the next save applies them on the current version.
        const current = await api.call<User>('GET /api/v1/users/:id', { params: { id: user.id } }).catch(() => null);
        setConflict(current ?? { ...base, version: err.problem.current_version ?? base.version });
        if (current) onSaved(current);
      } else {
        const fe = apiFieldErrors(t, err, 'users', fieldOfPath);
        setErrors(fe);
        if (Object.keys(fe).length) focusFirstInvalid(form.current);
        else setFailure(err);
      }
    } finally {
      setBusy(false);
    }
  }

  function takeCurrent() {
    if (!conflict) return;
    setBase(conflict);
    setFullName(conflict.full_name);
    setEmail(conflict.email);
    setConflict(null);
    setErrors({});
  }

  if (!canManage) {
    return (
      <dl className="row">
        <dt className="col-sm-4">{t('fields.fullName')}</dt>
        <dd className="col-sm-8">{user.full_name || '—'}</dd>
        <dt className="col-sm-4">{t('fields.email')}</dt>
        <dd className="col-sm-8">{user.email || '—'}</dd>
      </dl>
    );
  }
  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="user-profile-title" data-testid="user-profile-form">
      <h3 id="user-profile-title" className="h5">
        {t('profile.title')}
      </h3>
      <TextField id="user-full-name" label={t('fields.fullName')} value={fullName} onChange={setFullName} error={errors.full_name} autoComplete="off" required />
      <TextField id="user-email" label={t('fields.email')} type="email" inputMode="email" value={email} onChange={setEmail} error={errors.email} autoComplete="off" spellCheck={false} />
      {conflict && (
        <div className="alert alert-warning" role="alert" data-testid="user-conflict">
          <p className="fw-semibold mb-1">{t('profile.conflictTitle')}</p>
          <p className="mb-1">{t('profile.conflictBody')}</p>
          <ul className="mb-2">
            <li>
              {t('fields.fullName')}: {conflict.full_name || '—'}
            </li>
            <li>
              {t('fields.email')}: {conflict.email || '—'}
            </li>
          </ul>
          <button type="button" className="btn btn-sm btn-outline-secondary" onClick={takeCurrent}>
            {t('profile.useCurrent')}
          </button>
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common:status.saving') : conflict ? t('profile.saveMine') : t('profile.save')}
      </button>
      {saved && !dirty && (
        <p className="text-success mt-2 mb-0" role="status">
          {t('profile.saved')}
        </p>
      )}
      <ProblemAlert error={failure} ns="users" />
    </form>
  );
}

function GrantsEditor({
  user,
  units,
  canManage,
  isSelf,
  onChanged,
}: {
  user: User;
  units: RefItem[];
  canManage: boolean;
  isSelf: boolean;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation('users');
  const text = useProblemText();
  const [role, setRole] = useState('');
  const [unit, setUnit] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const grants = sortedGrants(user.grants);

  async function add(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const p = validateGrant(role, unit, user.grants);
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await api.call<Grant>('POST /api/v1/users/:id/grants', { params: { id: user.id }, body: { role, unit: unitScoped(role) ? unit : '' } });
      announce(t('grants.added', { role: t(`common:roles.${role}`), user: personLabel(user) }));
      setRole('');
      setUnit('');
      await onChanged();
    } catch (err) {
      const own = text(fieldOfProblem(err));
      const fe = { ...apiFieldErrors(t, err, 'users', fieldOfPath), ...own };
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    if (!revoking?.id) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.call('DELETE /api/v1/users/:id/grants/:grant', { params: { id: user.id, grant: revoking.id } });
      announce(t('grants.revoked', { role: t(`common:roles.${revoking.role}`), user: personLabel(user) }));
      setRevoking(null);
      await onChanged();
    } catch (err) {
      setRevoking(null);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-4">
      <h3 className="h5" id="user-grants-title">
        {t('grants.title')}
      </h3>
      {grants.length === 0 ? (
        <p>{t('grants.none')}</p>
      ) : (
        <ul className="list-unstyled" aria-labelledby="user-grants-title" data-testid="user-grants">
          {grants.map((g) => (
            <li key={g.id ?? `${g.role}-${g.unit}`} className="d-flex flex-wrap align-items-center gap-2 mb-2">
              <span>
                <GrantLabel g={g} units={units} />
              </span>
              {canManage && g.id && !needsRequest(g.role) && (
                <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setRevoking(g)}>
                  {t('grants.revoke')}{' '}
                  <span className="visually-hidden">{t('grants.revokeWhat', { role: t(`common:roles.${g.role}`), unit: g.unit ? t('unitShort', { unit: g.unit }) : '' }).trim()}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form ref={form} onSubmit={add} noValidate aria-labelledby="grant-add-title" className="grant-form" data-testid="grant-form">
          <h4 id="grant-add-title" className="h6 fw-semibold">
            {t('grants.addTitle')}
          </h4>
          <div className="row g-3">
            <div className="col-md-5">
              <SelectField
                id="grant-role"
                label={t('fields.role')}
                value={role}
                onChange={(v) => {
                  setRole(v);
                  if (!unitScoped(v)) setUnit('');
                }}
                error={errors.role}
                hint={t('grants.rpctOnly')}
                required
              >
                <RoleOptions />
              </SelectField>
            </div>
            {unitScoped(role) && (
              <div className="col-md-7">
                <UnitField id="grant-unit" units={units} value={unit} onChange={setUnit} error={errors.unit} />
              </div>
            )}
          </div>
          <button type="submit" className="btn btn-outline-primary" disabled={busy}>
            {t('grants.add')}
          </button>
        </form>
      )}
      {isSelf && <p className="small">{t('grants.ownNote')}</p>}
      <ProblemAlert error={failure} ns="users" />
      <ConfirmDialog
        id="revoke-dialog"
        open={revoking !== null}
        title={t('grants.revokeTitle', { user: personLabel(user) })}
        confirmLabel={t('grants.revokeConfirm')}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
        busy={busy}
        danger
      >
        <p className="mb-0">
          {revoking && t('grants.revokeBody', { user: personLabel(user), role: t(`common:roles.${revoking.role}`), unit: revoking.unit ? t('unitShort', { unit: revoking.unit }) : t('grants.wholeEnte') })}
        </p>
      </ConfirmDialog>
    </div>
  );
}

function StatusControl({ user, isSelf, canManage, onSaved }: { user: User; isSelf: boolean; canManage: boolean; onSaved: (u: User) => void }) {
  const { t } = useTranslation('users');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function toggle() {
    setBusy(true);
    setFailure(null);
    try {
      const u = user.disabled
        ? await api.call<User>('POST /api/v1/users/:id/enable', { params: { id: user.id } })
        : await api.call<User>('POST /api/v1/users/:id/disable', { params: { id: user.id } });
      setOpen(false);
      announce(u.disabled ? t('status.disabledDone', { user: personLabel(user) }) : t('status.enabledDone', { user: personLabel(user) }));
      onSaved(u);
    } catch (err) {
      setOpen(false);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-4">
      <h3 className="h5">{t('status.title')}</h3>
      <p data-testid="user-state">
        {user.disabled ? t('status.disabledText') : t('status.enabledText')}
        {user.last_login_at ? ` ${t('status.lastLogin', { when: formatDateTime(user.last_login_at) })}` : ` ${t('status.neverLoggedIn')}`}
      </p>
      {canManage &&
        (isSelf && !user.disabled ? (
          <p className="small">{t('status.self')}</p>
        ) : (
          <button type="button" className={`btn ${user.disabled ? 'btn-outline-primary' : 'btn-outline-danger'}`} onClick={() => setOpen(true)}>
            {user.disabled ? t('status.enable') : t('status.disable')}
          </button>
        ))}
      <ProblemAlert error={failure} ns="users" />
      <ConfirmDialog
        id="user-state-dialog"
        open={open}
        title={user.disabled ? t('status.enableTitle', { user: personLabel(user) }) : t('status.disableTitle', { user: personLabel(user) })}
        confirmLabel={user.disabled ? t('status.enable') : t('status.disable')}
        onConfirm={() => void toggle()}
        onCancel={() => setOpen(false)}
        busy={busy}
        danger={!user.disabled}
      >
        <p className="mb-0">{user.disabled ? t('status.enableBody') : t('status.disableBody')}</p>
      </ConfirmDialog>
    </div>
  );
}

function PasswordReset({ user }: { user: User }) {
  const { t } = useTranslation('users');
  const text = useProblemText();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    setFailure(null);
    const p: Problems = {};
    const pw = checkPassword(password, user.username);
    if (pw) p.password = pw;
    if (!pw && repeat !== password) p.repeat = 'password_mismatch';
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await api.call('POST /api/v1/users/:id/password', { params: { id: user.id }, body: { password } });
      setPassword('');
      setRepeat('');
      setDone(true);
      announce(t('password.done', { user: personLabel(user) }));
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'users', (path) => (path === 'password' ? 'password' : undefined));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="user-password-title" className="mt-4">
      <h3 id="user-password-title" className="h5">
        {t('password.title')}
      </h3>
      <p>{t('password.intro')}</p>
      <TextField id="reset-password" label={t('password.new')} type="password" value={password} onChange={setPassword} error={errors.password} hint={t('password.hint')} autoComplete="new-password" required />
      <TextField id="reset-password-repeat" label={t('password.repeat')} type="password" value={repeat} onChange={setRepeat} error={errors.repeat} autoComplete="new-password" required />
      <button type="submit" className="btn btn-outline-primary" disabled={busy}>
        {t('password.submit')}
      </button>
      {done && (
        <p className="text-success mt-2 mb-0" role="status">
          {t('password.done', { user: personLabel(user) })}
        </p>
      )}
      <ProblemAlert error={failure} ns="users" />
    </form>
  );
}

export function UserPanel({
  user,
  units,
  isSelf,
  canManage,
  canRequest,
  actor,
  onUpdated,
  onAsked,
  onClose,
}: {
  user: User;
  units: RefItem[];
  isSelf: boolean;
  canManage: boolean;
  /** may present requests about the RPCT and OIV roles and accounts */
  canRequest: boolean;
  actor: Acting;
  onUpdated: (u: User) => void;
  onAsked: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('users');
  const heading = useRef<HTMLHeadingElement>(null);
  // What may be changed here directly; the rest of an RPCT's or OIV's account goes through requests.
  const rights = directRights(actor, user);
  useEffect(() => {
    heading.current?.focus();
  }, [user.id]);
  const reload = async () => {
    const u = await api.call<User>('GET /api/v1/users/:id', { params: { id: user.id } });
    onUpdated(u);
  };
  return (
    <section aria-labelledby="user-panel-title" className="user-panel" data-testid="user-panel">
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <h2 id="user-panel-title" ref={heading} tabIndex={-1} className="h4 page-title">
          {t('panel.title', { user: personLabel(user) })}
        </h2>
        <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onClose}>
          {t('panel.close')}
        </button>
      </div>
      <ProfileForm key={user.id} user={user} canManage={canManage && rights.profile} onSaved={onUpdated} />
      <GrantsEditor key={`g-${user.id}`} user={user} units={units} canManage={canManage && rights.grants} isSelf={isSelf} onChanged={reload} />
      <StatusControl key={`s-${user.id}`} user={user} isSelf={isSelf} canManage={canManage && (rights.status || isSelf)} onSaved={onUpdated} />
      {canManage && rights.password && <PasswordReset key={`p-${user.id}`} user={user} />}
      {canManage && rights.profile && <UserSessions key={`x-${user.id}`} userId={user.id} username={user.username} />}
      {canRequest && <PrivilegedActions key={`r-${user.id}`} user={user} actor={actor} onAsked={onAsked} />}
    </section>
  );
}
