import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { User } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import { fieldOfPath, validateGrant, validateNewUser } from './userRules';
import UsersPage from './UsersPage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const user = (over: Partial<User>): User => ({ id: 'u1', username: 'dir2', full_name: 'Dirigente Area 2', email: 'dir2@ente.it', disabled: false, must_change_password: false, grants: [], version: 3, ...over });
const problem = (status: number, code: string, extra: object = {}) => new ApiError({ type: 't', title: 'x', status, code, ...extra });

type Handler = (op: string, opts: { params?: Record<string, string>; body?: unknown }) => unknown;

function serve(extra: Handler = () => undefined) {
  const calls: Array<{ op: string; body?: unknown; params?: Record<string, string> }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body, params: opts.params });
    const r = extra(op, opts as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/users':
        return {
          items: [
            user({ id: 'id-rpct', username: 'rpct', full_name: 'Responsabile', grants: [{ id: 'g0', role: 'rpct' }], last_login_at: '2026-11-20T09:00:00Z' }),
            user({ grants: [{ id: 'g1', role: 'director', unit: 'AD2' }] }),
          ],
        };
      case 'GET /api/v1/cycles/:cycle/process-map':
        return { units: [{ code: 'AD2', title: 'Area dirigenziale 2' }, { code: 'SG', title: 'Segreteria generale' }] };
      case 'GET /api/v1/privileged-requests':
        return { items: [] };
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

const renderAt = (url = '/utenti') =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <UsersPage />
    </MemoryRouter>,
  );

describe('user rules', () => {
  it('checks a new user as the server would', () => {
    const ok = { username: 'Mario.Rossi', fullName: 'Mario Rossi', email: '', password: 'una-frase-lunga-abbastanza', role: '', unit: '' };
    expect(validateNewUser(ok)).toEqual({});
    expect(validateNewUser({ ...ok, username: '-x', email: 'nope', password: 'corta' })).toEqual({ username: 'username_invalid', email: 'email_invalid', password: 'password_too_short' });
    expect(validateNewUser({ ...ok, password: 'mario.rossi-2026-xyz' })).toEqual({ password: 'password_contains_username' });
    expect(validateNewUser({ ...ok, role: 'director' })).toEqual({ unit: 'required' });
  });

  it('refuses a grant the user already holds', () => {
    expect(validateGrant('director', 'AD2', [{ role: 'director', unit: 'AD2' }])).toEqual({ role: 'grant_exists' });
    expect(validateGrant('director', 'SG', [{ role: 'director', unit: 'AD2' }])).toEqual({});
    expect(validateGrant('referente', '', [])).toEqual({ unit: 'required' });
  });

  it("maps the API's field paths to the form", () => {
    expect(fieldOfPath('grants[0].unit')).toBe('unit');
    expect(fieldOfPath('.role')).toBe('role'); // single-grant validation reports ".role"
    expect(fieldOfPath('password')).toBe('password');
    expect(fieldOfPath('version')).toBeUndefined();
  });
});

describe('users screen', () => {
  beforeEach(() => {
    session = testSession('rpct');
  });

  it('lists the users with roles, units, state and last access', async () => {
    serve();
    renderAt();
    const table = await screen.findByTestId('users-table');
    const row = within(table).getByRole('rowheader', { name: 'dir2' }).closest('tr')!;
    expect(row).toHaveTextContent('Dirigente');
    expect(row).toHaveTextContent('unità AD2');
    expect(row).toHaveTextContent('Attiva');
    expect(row).toHaveTextContent('Mai');
    expect(within(table).getByRole('rowheader', { name: /rpct/ }).closest('tr')).toHaveTextContent('20/11/2026');
  });

  it('checks the new user form next to each field before calling the server', async () => {
    const calls = serve();
    renderAt();
    await userEvent.click(await screen.findByRole('button', { name: 'Nuovo utente' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nuovo utente' });
    await userEvent.type(within(dialog).getByLabelText(/Nome utente/), 'Bad Name');
    await userEvent.type(within(dialog).getByLabelText(/Password iniziale/), 'corta');
    await userEvent.selectOptions(within(dialog).getByLabelText(/Ruolo/), 'director');
    await userEvent.click(within(dialog).getByRole('button', { name: "Crea l'utente" }));
    const username = within(dialog).getByLabelText(/Nome utente/);
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(document.getElementById(username.getAttribute('aria-describedby')!.split(' ').pop()!)).toHaveTextContent('Da 2 a 64 caratteri');
    expect(within(dialog).getByLabelText(/Nome e cognome/)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByText('La password deve avere almeno 12 caratteri.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Unità organizzativa/)).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(username).toHaveFocus());
    expect(calls.some((c) => c.op === 'POST /api/v1/users')).toBe(false);
  });

  it("shows the server's objections next to the fields: taken username, weak password", async () => {
    let attempt = 0;
    const calls = serve((op) => {
      if (op !== 'POST /api/v1/users') return undefined;
      attempt++;
      if (attempt === 1) return problem(409, 'username_taken');
      if (attempt === 2) return problem(422, 'user_invalid', { errors: [{ field: 'password', code: 'password_common', message: 'password is too common' }] });
      return user({ id: 'u9', username: 'mario.rossi', full_name: 'Mario Rossi', grants: [{ id: 'g9', role: 'referente', unit: 'SG' }] });
    });
    renderAt();
    await userEvent.click(await screen.findByRole('button', { name: 'Nuovo utente' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nuovo utente' });
    await userEvent.type(within(dialog).getByLabelText(/Nome utente/), 'mario.rossi');
    await userEvent.type(within(dialog).getByLabelText(/Nome e cognome/), 'Mario Rossi');
    await userEvent.type(within(dialog).getByLabelText(/Password iniziale/), 'password-lunga-123');
    await userEvent.selectOptions(within(dialog).getByLabelText(/Ruolo/), 'referente');
    await userEvent.selectOptions(within(dialog).getByLabelText(/Unità organizzativa/), 'SG');
    await userEvent.click(within(dialog).getByRole('button', { name: "Crea l'utente" }));
    expect(await within(dialog).findByText('Il nome utente è già in uso.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Nome utente/)).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(within(dialog).getByRole('button', { name: "Crea l'utente" }));
    expect(await within(dialog).findByText('La password è troppo comune: scegline una meno prevedibile.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Nome e cognome/)).toHaveValue('Mario Rossi'); // nothing typed is lost
    await userEvent.click(within(dialog).getByRole('button', { name: "Crea l'utente" }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.filter((c) => c.op === 'POST /api/v1/users').at(-1)?.body).toEqual({
      username: 'mario.rossi',
      full_name: 'Mario Rossi',
      email: '',
      password: 'password-lunga-123',
      grants: [{ role: 'referente', unit: 'SG' }],
    });
    expect(await screen.findByRole('heading', { name: 'Utente Mario Rossi (mario.rossi)' })).toBeInTheDocument();
  });

  it('keeps what was typed when someone else changed the user meanwhile, and saves on the current version', async () => {
    let patches = 0;
    const calls = serve((op, opts) => {
      if (op === 'PATCH /api/v1/users/:id') {
        patches++;
        if (patches === 1) return problem(409, 'version_conflict', { current_version: 4 });
        return user({ ...(opts.body as object), version: 5, grants: [{ id: 'g1', role: 'director', unit: 'AD2' }] });
      }
      if (op === 'GET /api/v1/users/:id') return user({ full_name: 'Nome cambiato da altri', version: 4, grants: [{ id: 'g1', role: 'director', unit: 'AD2' }] });
      return undefined;
    });
    renderAt('/utenti?utente=u1');
    const form = await screen.findByTestId('user-profile-form');
    const name = within(form).getByLabelText(/Nome e cognome/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Nome scritto da me');
    await userEvent.click(within(form).getByRole('button', { name: 'Salva i dati' }));
    const conflict = await within(form).findByTestId('user-conflict');
    expect(conflict).toHaveTextContent('Qualcun altro ha modificato questo utente');
    expect(conflict).toHaveTextContent('Nome cambiato da altri');
    expect(name).toHaveValue('Nome scritto da me');
    await userEvent.click(within(form).getByRole('button', { name: 'Salva i miei valori' }));
    await waitFor(() => expect(within(form).queryByTestId('user-conflict')).toBeNull());
    const bodies = calls.filter((c) => c.op === 'PATCH /api/v1/users/:id').map((c) => c.body);
    expect(bodies).toEqual([
      { full_name: 'Nome scritto da me', email: 'dir2@ente.it', version: 3 },
      { full_name: 'Nome scritto da me', email: 'dir2@ente.it', version: 4 },
    ]);
  });

  it('offers RPCT, OIV and admin only as requests, and explains a refused combination of roles in Italian', async () => {
    session = testSession('admin');
    serve((op) =>
      op === 'POST /api/v1/users/:id/grants' ? problem(422, 'grant_invalid', { errors: [{ field: 'role', code: 'role_incompatible', message: 'x' }] }) : undefined,
    );
    renderAt('/utenti?utente=u1');
    const form = await screen.findByTestId('grant-form');
    expect(form).toHaveTextContent("I ruoli RPCT, OIV e di amministratore si assegnano e si revocano con una richiesta che un'altra persona conferma.");
    const options = within(within(form).getByLabelText(/Ruolo/)).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(['', 'director', 'referente']);
    await userEvent.selectOptions(within(form).getByLabelText(/Ruolo/), 'referente');
    await userEvent.selectOptions(within(form).getByLabelText(/Unità organizzativa/), 'SG');
    await userEvent.click(within(form).getByRole('button', { name: 'Assegna il ruolo' }));
    const role = within(form).getByLabelText(/Ruolo/);
    await waitFor(() => expect(role).toHaveAttribute('aria-invalid', 'true'));
    expect(form).toHaveTextContent("Ruolo incompatibile con gli altri dell'utente");
    // The panel offers the requests instead (dir2 holds a register role: not the administrator's).
    const actions = within(screen.getByTestId('privileged-actions'));
    expect(actions.getByRole('button', { name: 'Richiedi il ruolo RPCT per Dirigente Area 2 (dir2)' })).toBeInTheDocument();
    expect(actions.queryByRole('button', { name: /amministratore/ })).toBeNull();
  });

  it('disables a user only after confirmation, and never offers to disable oneself', async () => {
    const calls = serve((op) => (op === 'POST /api/v1/users/:id/disable' ? user({ disabled: true, version: 4, grants: [{ id: 'g1', role: 'director', unit: 'AD2' }] }) : undefined));
    renderAt('/utenti?utente=u1');
    await userEvent.click(await screen.findByRole('button', { name: "Disattiva l'utenza" }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('sessioni aperte saranno chiuse');
    expect(calls.some((c) => c.op === 'POST /api/v1/users/:id/disable')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: "Disattiva l'utenza" }));
    await waitFor(() => expect(screen.getByTestId('user-state')).toHaveTextContent('Utenza disattivata'));
    expect(within(screen.getByTestId('users-table')).getByRole('rowheader', { name: 'dir2' }).closest('tr')).toHaveTextContent('Disattivata');

    cleanup();
    renderAt('/utenti?utente=id-rpct');
    await screen.findByTestId('user-panel');
    expect(screen.queryByRole('button', { name: "Disattiva l'utenza" })).toBeNull();
    expect(screen.getByText('Non puoi disattivare la tua utenza.')).toBeInTheDocument();
  });

  it("turns the administrator's actions on the RPCT into requests that another person confirms", async () => {
    session = testSession('admin');
    let listed = 0;
    const calls = serve((op) => {
      if (op === 'GET /api/v1/privileged-requests') return { items: listed++ === 0 ? [] : [pendingReset('rpct', false)] };
      if (op === 'POST /api/v1/privileged-requests') return pendingReset('rpct', false);
      return undefined;
    });
    renderAt('/utenti?utente=id-rpct');
    const panel = await screen.findByTestId('user-panel');
    // No direct password reset, disabling, profile or grant change of the RPCT.
    expect(within(panel).queryByRole('button', { name: 'Reimposta la password' })).toBeNull();
    expect(within(panel).queryByRole('button', { name: "Disattiva l'utenza" })).toBeNull();
    expect(within(panel).queryByTestId('user-profile-form')).toBeNull();
    expect(within(panel).queryByTestId('grant-form')).toBeNull();
    const actions = within(panel).getByTestId('privileged-actions');
    expect(actions).toHaveTextContent('Responsabile (rpct) ha il ruolo RPCT');
    await userEvent.click(within(actions).getByRole('button', { name: 'Richiedi una nuova password per Responsabile (rpct)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Presentare la richiesta?' });
    expect(dialog).toHaveTextContent("un'altra persona (un altro amministratore o il RPCT)");
    expect(calls.some((c) => c.op === 'POST /api/v1/privileged-requests')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Presenta la richiesta' }));
    expect(await within(actions).findByRole('status')).toHaveTextContent('Ora deve confermarla un\'altra persona');
    expect(calls.find((c) => c.op === 'POST /api/v1/privileged-requests')?.body).toEqual({ kind: 'reset_password_rpct', target_id: 'id-rpct' });
    // The request now waits in "Richieste da confermare", but not for its own author.
    const pending = screen.getByTestId('pending-requests');
    expect(await within(pending).findByRole('rowheader', { name: 'Reimpostare la password di rpct (RPCT)' })).toBeInTheDocument();
    expect(within(pending).queryByRole('button', { name: /Conferma/ })).toBeNull();
    expect(pending).toHaveTextContent("Deve decidere un'altra persona");
  });

  it('lets another person confirm a request, showing a temporary password once, or reject it', async () => {
    session = testSession('rpct');
    let decided = false;
    const calls = serve((op) => {
      if (op === 'GET /api/v1/privileged-requests') return { items: decided ? [] : [pendingReset('rpct2', true), { ...pendingReset('oiv', false), id: 'r2', kind: 'reset_password_oiv' }] };
      if (op === 'POST /api/v1/privileged-requests/:id/confirm') {
        decided = true;
        return { request: { ...pendingReset('rpct2', false), state: 'confirmed' }, temporary_password: 'Abcde-Fghjk-Mnpqr-Stuvw' };
      }
      return undefined;
    });
    renderAt();
    const pending = await screen.findByTestId('pending-requests');
    const row = (await within(pending).findByRole('rowheader', { name: 'Reimpostare la password di rpct2 (RPCT)' })).closest('tr')!;
    expect(row).toHaveTextContent('admin');
    // The OIV's request is not the RPCT's to decide.
    const oivRow = within(pending).getByRole('rowheader', { name: 'Reimpostare la password di oiv (OIV)' }).closest('tr')!;
    expect(within(oivRow).queryByRole('button')).toBeNull();
    await userEvent.click(within(row).getByRole('button', { name: 'Conferma Reimpostare la password di rpct2 (RPCT)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confermare la richiesta?' });
    expect(dialog).toHaveTextContent('richiesta da admin');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Conferma' }));
    const shown = await screen.findByRole('dialog', { name: 'Password temporanea di rpct2' });
    expect(within(shown).getByLabelText('Password temporanea')).toHaveValue('Abcde-Fghjk-Mnpqr-Stuvw');
    expect(shown).toHaveTextContent('è mostrata solo ora');
    expect(calls.filter((c) => c.op === 'POST /api/v1/privileged-requests/:id/confirm').map((c) => c.params)).toEqual([{ id: 'r1' }]);
    await userEvent.click(within(shown).getByRole('button', { name: 'Ho preso nota' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByDisplayValue('Abcde-Fghjk-Mnpqr-Stuvw')).toBeNull();
    expect(await within(pending).findByText('Nessuna richiesta in attesa.')).toBeInTheDocument();
  });

  it('rejects a request after confirmation and explains a refusal in Italian', async () => {
    session = testSession('rpct');
    const calls = serve((op) => {
      if (op === 'GET /api/v1/privileged-requests') return { items: [pendingReset('rpct2', true)] };
      if (op === 'POST /api/v1/privileged-requests/:id/reject') return problem(409, 'request_expired');
      return undefined;
    });
    renderAt();
    const pending = await screen.findByTestId('pending-requests');
    await userEvent.click(await within(pending).findByRole('button', { name: 'Rifiuta Reimpostare la password di rpct2 (RPCT)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rifiutare la richiesta?' });
    expect(dialog).toHaveTextContent('Non cambierà nulla');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rifiuta' }));
    expect(await within(pending).findByRole('alert')).toHaveTextContent('La richiesta è scaduta senza conferma');
    expect(calls.filter((c) => c.op === 'POST /api/v1/privileged-requests/:id/reject').map((c) => c.params)).toEqual([{ id: 'r1' }]);
  });
});

function pendingReset(target: string, canDecide: boolean) {
  return {
    id: 'r1',
    kind: 'reset_password_rpct',
    target_id: `id-${target}`,
    target_username: target,
    target_full_name: '',
    requested_by: 'id-admin',
    requested_by_username: 'admin',
    requested_at: '2026-12-01T09:00:00Z',
    expires_at: '2026-12-04T09:00:00Z',
    state: 'pending',
    can_decide: canDecide,
  };
}
