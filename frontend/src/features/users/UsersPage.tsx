// User management (/utenti): the admin and the RPCT list the ente's users, create them, change their data and
// roles, disable or re-enable them and reset their passwords. ?utente=<id> opens one user's panel.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RefItem, Tree, User } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Dialog } from '../../components/Modal';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDateTime, formatNumber, personLabel } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { apiFieldErrors, focusFirstInvalid, problemMessage, SelectField, TextField, type FieldErrors } from '../../components/FormKit';
import { PendingRequestsPanel } from './PrivilegedRequests';
import { fieldOfProblem, GrantLabel, RoleOptions, UnitField, UserPanel, useProblemText } from './UserPanel';
import { fieldOfPath, filterUsers, minPassword, normalizeUsername, sortedGrants, unitScoped, validateNewUser, type NewUserForm } from './userRules';
import './users.css';

const emptyForm: NewUserForm = { username: '', fullName: '', email: '', password: '', role: '', unit: '' };

export function CreateUserDialog({ open, units, onClose, onCreated }: { open: boolean; units: RefItem[]; onClose: () => void; onCreated: (u: User) => void }) {
  const { t } = useTranslation('users');
  const text = useProblemText();
  const [f, setF] = useState<NewUserForm>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (k: keyof NewUserForm) => (v: string) => setF((x) => ({ ...x, [k]: v, ...(k === 'role' && !unitScoped(v) ? { unit: '' } : {}) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const p = validateNewUser(f);
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const u = await api.call<User>('POST /api/v1/users', {
        body: {
          username: normalizeUsername(f.username),
          full_name: f.fullName.trim(),
          email: f.email.trim(),
          password: f.password,
          grants: f.role ? [{ role: f.role, unit: unitScoped(f.role) ? f.unit : '' }] : [],
        },
      });
      setF(emptyForm);
      setErrors({});
      onCreated(u);
    } catch (err) {
      const fe = { ...apiFieldErrors(t, err, 'users', fieldOfPath), ...text(fieldOfProblem(err)) };
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      id="user-create"
      title={t('create.title')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-outline-secondary" onClick={onClose} disabled={busy}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" form="user-create-form" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:status.saving') : t('create.submit')}
          </button>
        </>
      }
    >
      <form id="user-create-form" ref={form} onSubmit={submit} noValidate data-testid="user-create-form">
        <p className="small">{t('requiredNote')}</p>
        <TextField id="new-username" label={t('fields.username')} value={f.username} onChange={set('username')} error={errors.username} hint={t('create.usernameHint')} autoComplete="off" spellCheck={false} required />
        <TextField id="new-full-name" label={t('fields.fullName')} value={f.fullName} onChange={set('fullName')} error={errors.full_name} autoComplete="off" required />
        <TextField id="new-email" label={t('fields.email')} type="email" inputMode="email" value={f.email} onChange={set('email')} error={errors.email} autoComplete="off" spellCheck={false} />
        <TextField
          id="new-password"
          label={t('fields.initialPassword')}
          type="password"
          value={f.password}
          onChange={set('password')}
          error={errors.password}
          hint={t('create.passwordHint', { n: minPassword })}
          autoComplete="new-password"
          required
        />
        <SelectField id="new-role" label={t('fields.firstRole')} value={f.role} onChange={set('role')} error={errors.role} hint={t('create.roleHint')}>
          <RoleOptions withNone />
        </SelectField>
        {unitScoped(f.role) && <UnitField id="new-unit" units={units} value={f.unit} onChange={set('unit')} error={errors.unit} />}
        {failure !== null && (
          <p className="text-danger" role="alert">
            {problemMessage(t, failure, 'users')}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export default function UsersPage() {
  const { t } = useTranslation('users');
  const s = useSession();
  const canRead = s.can('user', 'read');
  const canManage = s.can('user', 'manage');
  const canRequest = s.can('privileged_request', 'write');
  const canSeeRequests = s.can('privileged_request', 'read');
  const actor = useMemo(() => ({ id: s.me.user.id, roles: s.roles }), [s.me.user.id, s.roles]);
  // Bumped when a request is presented, so "Richieste da confermare" shows it.
  const [requestsTick, setRequestsTick] = useState(0);
  const cycleCode = s.cycle?.code ?? '';
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('utente') ?? '';
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const users = useApi((signal) => (canRead ? api.call<{ items: User[] }>('GET /api/v1/users', { signal }).then((r) => r.items) : Promise.resolve([] as User[])), [canRead]);
  // Units come from the selected cycle's process map (the only list of the ente's units the API offers).
  const units = useApi(
    (signal) =>
      canManage && cycleCode && s.can('processmap', 'read')
        ? api.call<Tree>('GET /api/v1/cycles/:cycle/process-map', { params: { cycle: cycleCode }, signal }).then((tr) => tr.units ?? [])
        : Promise.resolve([] as RefItem[]),
    [canManage, cycleCode],
  );
  const shown = useMemo(() => filterUsers(users.data ?? [], q), [users.data, q]);
  const selected = (users.data ?? []).find((u) => u.id === selectedId);

  const select = (id: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set('utente', id);
    else next.delete('utente');
    setParams(next);
  };
  const close = () => {
    const id = selectedId;
    select('');
    window.setTimeout(() => document.getElementById(`manage-${id}`)?.focus(), 0);
  };
  const updated = (u: User) => users.setData((users.data ?? []).map((x) => (x.id === u.id ? u : x)));

  // After a creation the dialog, once closed, hands focus back to "Nuovo utente": pass it on to the new user's
  // panel instead, where the work continues (the shared Dialog offers no "after close" hook).
  const createButton = useRef<HTMLButtonElement>(null);
  const [focusPanelOnReturn, setFocusPanelOnReturn] = useState(false);
  useEffect(() => {
    if (!focusPanelOnReturn) return;
    const onFocus = (e: FocusEvent) => {
      if (e.target !== createButton.current) return;
      document.getElementById('user-panel-title')?.focus();
      setFocusPanelOnReturn(false);
    };
    document.addEventListener('focusin', onFocus);
    const timer = window.setTimeout(() => setFocusPanelOnReturn(false), 2000);
    return () => {
      document.removeEventListener('focusin', onFocus);
      window.clearTimeout(timer);
    };
  }, [focusPanelOnReturn]);

  if (!canRead) {
    return (
      <Page title={t('title')} crumbs={[{ label: t('title') }]}>
        <div className="alert alert-warning">{t('forbidden')}</div>
      </Page>
    );
  }

  return (
    <Page
      title={t('title')}
      crumbs={[{ label: t('title') }]}
      actions={
        canManage && (
          <button type="button" ref={createButton} className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('create.open')}
          </button>
        )
      }
    >
      <p>{canManage ? t('introManage') : t('introRead')}</p>
      <ErrorAlert error={users.error} onRetry={users.reload} />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <>
          <form role="search" className="users-search" onSubmit={(e) => e.preventDefault()} aria-label={t('search.label')}>
            <div className="form-group argine-field">
              <label htmlFor="users-q" className="active">
                {t('search.field')}
              </label>
              <input id="users-q" type="search" className="form-control" value={q} onChange={(e) => setQ(e.target.value)} aria-describedby="users-count" />
            </div>
          </form>
          <p id="users-count" className="small" aria-live="polite">
            {t('search.count', { count: shown.length, n: formatNumber(shown.length), total: formatNumber(users.data.length) })}
          </p>
          <div className="table-responsive">
            <table className="table stack-table table-hover users-table" data-testid="users-table">
              <caption>{t('table.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fields.username')}</th>
                  <th scope="col">{t('fields.fullName')}</th>
                  <th scope="col">{t('fields.email')}</th>
                  <th scope="col">{t('table.roles')}</th>
                  <th scope="col">{t('table.state')}</th>
                  <th scope="col">{t('table.lastLogin')}</th>
                  {canManage && (
                    <th scope="col">
                      <span className="visually-hidden">{t('table.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => (
                  <tr key={u.id} className={u.id === selectedId ? 'table-active' : undefined} aria-current={u.id === selectedId ? 'true' : undefined}>
                    <th scope="row">
                      {u.username}
                      {u.id === s.me.user.id && <span className="badge bg-light text-dark border ms-1">{t('table.you')}</span>}
                    </th>
                    <td>{u.full_name}</td>
                    <td className="text-break">{u.email}</td>
                    <td>
                      <ul className="list-unstyled mb-0">
                        {sortedGrants(u.grants).map((g) => (
                          <li key={g.id ?? `${g.role}-${g.unit}`}>
                            <GrantLabel g={g} units={units.data} />
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{u.disabled ? <span className="badge bg-secondary">{t('table.disabled')}</span> : <span className="badge bg-success">{t('table.enabled')}</span>}</td>
                    <td className="text-nowrap">{u.last_login_at ? formatDateTime(u.last_login_at) : t('table.never')}</td>
                    {canManage && (
                      <td>
                        <button type="button" id={`manage-${u.id}`} className="btn btn-sm btn-outline-primary text-nowrap" onClick={() => select(u.id)} aria-expanded={u.id === selectedId}>
                          {t('table.manage')}
                          {' '}
                          <span className="visually-hidden">{personLabel(u)}</span>
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length === 0 && <p>{t('search.none')}</p>}
        </>
      )}
      {selected && canManage && (
        <UserPanel
          user={selected}
          units={units.data ?? []}
          isSelf={selected.id === s.me.user.id}
          canManage={canManage}
          canRequest={canRequest}
          actor={actor}
          onUpdated={updated}
          onAsked={() => setRequestsTick((n) => n + 1)}
          onClose={close}
        />
      )}
      {selectedId && users.data && !selected && <p className="alert alert-warning mt-3">{t('panel.notFound')}</p>}
      {canSeeRequests && <PendingRequestsPanel refresh={requestsTick} onDecided={users.reload} />}
      {canManage && (
        <CreateUserDialog
          open={creating}
          units={units.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(u) => {
            users.setData([...(users.data ?? []), u]);
            setCreating(false);
            setFocusPanelOnReturn(true);
            announce(t('create.done', { user: personLabel(u) }));
            select(u.id);
          }}
        />
      )}
    </Page>
  );
}
