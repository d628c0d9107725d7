// The security page: sessions listed with device, address and times, one ended after confirmation; the second
// factor enrolled (QR code, code check, recovery codes shown once). The sign-in asks the code when the server
// answers mfa_required, and an admin without a second factor sees only the enrolment.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Me, SessionView } from '../../api/schema.gen';
import { App } from '../../app/App';
import { fakeApi } from '../../test/api';

const { signOut } = vi.hoisted(() => ({ signOut: vi.fn() }));
vi.mock('../../auth/session', async (orig) => {
  const real = await orig<typeof import('../../auth/session')>();
  // Inside <App /> the real provider answers; the page alone gets a stand-in whose signOut is watched.
  const outside = { status: 'ready' as const, session: null, expired: false, signIn: vi.fn(), completeMFA: vi.fn(), signOut: () => signOut() };
  return {
    ...real,
    useSessionState: () => {
      try {
        return real.useSessionState();
      } catch {
        return outside;
      }
    },
  };
});

const { default: SecurityPage } = await import('./SecurityPage');

const session = (over: Partial<SessionView>): SessionView => ({
  id: 's1', created_at: '2026-12-01T08:00:00Z', last_used_at: '2026-12-01T09:00:00Z', expires_at: '2026-12-01T20:00:00Z',
  client_addr: '192.0.2.1', user_agent: 'Mozilla/5.0 Firefox/140.0', browser: 'Firefox', os: 'Windows', current: false, ...over,
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('security page', () => {
  it('lists the sessions and ends one after confirmation', async () => {
    let items = [session({ id: 's1', current: true }), session({ id: 's2', browser: 'Chrome', os: 'Android', client_addr: '198.51.100.7' })];
    const { impl, calls } = fakeApi({
      'GET /api/v1/me/sessions': () => ({ items }),
      'DELETE /api/v1/me/sessions/:id': ({ params }) => {
        items = items.filter((s) => s.id !== params?.id);
        return undefined;
      },
      'GET /api/v1/me/mfa': () => ({ enrolled: true, enrolled_at: '2026-11-30T10:00:00Z', required: true, recovery_codes_left: 9 }),
    });
    vi.spyOn(api, 'call').mockImplementation(impl as typeof api.call);
    const { container } = render(
      <MemoryRouter>
        <SecurityPage />
      </MemoryRouter>,
    );
    const rows = await screen.findAllByTestId('session');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Questa sessione')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Chrome su Android')).toBeInTheDocument();
    expect(within(rows[1]).getByText('198.51.100.7')).toBeInTheDocument();
    expect(screen.getByText('Codici di recupero ancora validi: 9.')).toBeInTheDocument();

    await userEvent.click(within(rows[1]).getByRole('button', { name: /Chiudi la sessione/ }));
    await userEvent.click(await screen.findByTestId('end-session-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('session')).toHaveLength(1));
    expect(calls.find((c) => c.op === 'DELETE /api/v1/me/sessions/:id')?.opts.params).toEqual({ id: 's2' });
    expect(signOut).not.toHaveBeenCalled();

    const r = await axe.run(container, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => v.id)).toEqual([]);
  });

  it('enrols the second factor and shows the recovery codes once', async () => {
    let enrolled = false;
    const { impl, calls } = fakeApi({
      'GET /api/v1/me/sessions': () => ({ items: [] }),
      'GET /api/v1/me/mfa': () => ({ enrolled, enrolled_at: null, required: false, recovery_codes_left: enrolled ? 10 : 0 }),
      'POST /api/v1/me/mfa/totp': () => ({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/x', qr_png: 'data:image/png;base64,AAAA' }),
      'POST /api/v1/me/mfa/totp/confirm': () => {
        enrolled = true;
        return { recovery_codes: ['ABCDE-FGHJK', 'KLMNP-QRSTU'] };
      },
    });
    vi.spyOn(api, 'call').mockImplementation(impl as typeof api.call);
    render(
      <MemoryRouter>
        <SecurityPage />
      </MemoryRouter>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Attiva la verifica in due passaggi' }));
    expect(await screen.findByRole('img', { name: /Codice QR/ })).toBeInTheDocument();
    expect(screen.getByText('JBSWY3DPEHPK3PXP')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Codice dell'app/), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Conferma' }));
    expect(await screen.findByText("Scrivi le 6 cifre mostrate dall'app.")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Codice dell'app/), '3456');
    await userEvent.click(screen.getByRole('button', { name: 'Conferma' }));
    expect(await screen.findByText('ABCDE-FGHJK')).toBeInTheDocument();
    expect(calls.find((c) => c.op === 'POST /api/v1/me/mfa/totp/confirm')?.opts.body).toEqual({ code: '123456' });
  });
});

const adminMe = (mfaRequired: boolean): Me => ({
  user: { id: 'u1', username: 'admin', full_name: 'Amministratore', email: '', disabled: false, must_change_password: false, grants: [], version: 1 },
  ente: { code: 'cciaa-basilicata', name: 'Camera di commercio' },
  grants: [{ role: 'admin' }],
  allowed: [],
  mfa_enrolment_required: mfaRequired,
});

describe('sign-in with a second factor', () => {
  it('asks the code after the password, and an admin without one sees only the enrolment', async () => {
    const { impl } = fakeApi({
      'GET /api/v1/me': () => adminMe(true),
      'GET /api/v1/cycles': () => ({ items: [] }),
    });
    vi.spyOn(api, 'call').mockImplementation(impl as typeof api.call);
    vi.spyOn(api, 'login').mockResolvedValue({ mfaToken: 'challenge' });
    const complete = vi.spyOn(api, 'completeMFA').mockResolvedValue(undefined);
    render(<App />);
    await userEvent.type(await screen.findByLabelText('Nome utente'), 'admin');
    await userEvent.type(screen.getByLabelText('Password'), 'una-password-qualsiasi');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));

    await userEvent.type(await screen.findByLabelText(/Codice dell'app/), '654321');
    await userEvent.click(screen.getByRole('button', { name: 'Verifica' }));
    expect(complete).toHaveBeenCalledWith('challenge', { code: '654321' });
    expect(await screen.findByRole('heading', { name: 'Attiva la verifica in due passaggi' })).toBeInTheDocument();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
  });
});
