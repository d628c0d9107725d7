// A password set by someone else: after sign-in the app shows only the password change (with why, in Italian),
// asks the received password and a new one, and opens once the server accepted it. Throttled and busy sign-ins
// say in Italian how long to wait.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from 'i18next';
import { api, ApiClient, ApiError } from '../api/client';
import type { Me } from '../api/schema.gen';
import { App } from '../app/App';
import { errorMessage } from '../components/Feedback';
import { fakeApi } from '../test/api';

const me = (mustChange: boolean): Me => ({
  user: { id: 'u1', username: 'nuova.referente', full_name: 'Nuova Referente', email: '', disabled: false, must_change_password: mustChange, grants: [], version: 1 },
  ente: { code: 'cciaa-basilicata', name: 'Camera di commercio' },
  grants: [],
  allowed: [],
});

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('temporary password', () => {
  it('after sign-in shows only the password change, then opens the app', async () => {
    let changed = false;
    const { impl, calls } = fakeApi({
      'GET /api/v1/me': () => me(!changed),
      'GET /api/v1/cycles': () => {
        if (!changed) throw new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'password_change_required' });
        return { items: [] };
      },
      'POST /api/v1/me/password': () => {
        changed = true;
        return undefined;
      },
    });
    vi.spyOn(api, 'call').mockImplementation(impl as typeof api.call);
    vi.spyOn(api, 'login').mockResolvedValue({});
    render(<App />);

    await userEvent.type(await screen.findByLabelText('Nome utente'), 'nuova.referente');
    await userEvent.type(screen.getByLabelText('Password'), 'temporanea-scelta-da-admin');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));

    expect(await screen.findByRole('heading', { name: 'Scegli una nuova password' })).toBeInTheDocument();
    expect(screen.getByText(/impostata da un'altra persona/)).toBeInTheDocument();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument(); // no shell: no header, no menu
    expect(document.getElementById('nav')).toBeNull();

    await userEvent.type(screen.getByLabelText('Password attuale'), 'temporanea-scelta-da-admin');
    await userEvent.type(screen.getByLabelText('Nuova password'), 'la-mia-frase-personale');
    await userEvent.type(screen.getByLabelText('Ripeti la nuova password'), 'la-mia-frase-personale');
    await userEvent.click(screen.getByRole('button', { name: 'Cambia password' }));

    expect(await screen.findByRole('banner')).toBeInTheDocument(); // the shell opens
    expect(screen.queryByRole('heading', { name: 'Scegli una nuova password' })).not.toBeInTheDocument();
    const change = calls.find((c) => c.op === 'POST /api/v1/me/password');
    expect(change?.opts.body).toEqual({ current_password: 'temporanea-scelta-da-admin', new_password: 'la-mia-frase-personale' });
    expect(calls.filter((c) => c.op === 'GET /api/v1/me').length).toBeGreaterThanOrEqual(2);
  });
});

describe('throttled and busy sign-in', () => {
  const problem = (status: number, code: string, retryAfter: string) =>
    new Response(JSON.stringify({ type: 'about:blank', title: 'x', status, code }), {
      status,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': retryAfter },
    });

  it('reads Retry-After and says how long to wait, in Italian', async () => {
    const t = i18n.getFixedT('it');
    const busy = await new ApiClient('', vi.fn().mockResolvedValue(problem(503, 'server_busy', '2'))).login('a', 'b').catch((e: ApiError) => e);
    expect(busy).toBeInstanceOf(ApiError);
    expect((busy as ApiError).retryAfter).toBe(2);
    expect(errorMessage(t, busy)).toBe('Troppi accessi in corso, riprova tra 2 secondi.');

    const locked = await new ApiClient('', vi.fn().mockResolvedValue(problem(429, 'too_many_attempts', '300'))).login('a', 'b').catch((e: ApiError) => e);
    expect(errorMessage(t, locked)).toBe('Troppi tentativi non riusciti da questa utenza o da questa rete: riprova tra 5 minuti.');

    const shut = await new ApiClient('', vi.fn().mockResolvedValue(problem(429, 'too_many_attempts', '30'))).login('a', 'b').catch((e: ApiError) => e);
    expect(errorMessage(t, shut)).toBe('Troppi tentativi non riusciti da questa utenza o da questa rete: riprova tra 30 secondi.');
  });
});
