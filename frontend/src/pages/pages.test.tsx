import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../auth/session';
import { LoginPage } from './Login';
import { PasswordPage, validatePasswordChange } from './Password';

describe('password change validation', () => {
  it('asks for 12 characters and two equal entries', () => {
    expect(validatePasswordChange('corta', 'corta')).toBe('tooShort');
    expect(validatePasswordChange('una-password-lunga', 'una-password-lungA')).toBe('mismatch');
    expect(validatePasswordChange('una-password-lunga', 'una-password-lunga')).toBeNull();
  });

  it('shows the mismatch next to the field, announced and linked', async () => {
    render(
      <MemoryRouter>
        <PasswordPage />
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText('Nuova password'), 'una-password-lunga');
    await userEvent.type(screen.getByLabelText('Ripeti la nuova password'), 'diversa-password-x');
    await userEvent.click(screen.getByRole('button', { name: 'Cambia password' }));
    const error = screen.getByRole('alert');
    expect(error).toHaveTextContent('Le due password non coincidono.');
    expect(screen.getByLabelText('Ripeti la nuova password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Ripeti la nuova password').getAttribute('aria-describedby')).toContain(error.id);
  });
});

describe('sign-in form', () => {
  it('names the missing fields in Italian without calling the server', async () => {
    render(
      <MemoryRouter>
        <SessionProvider>
          <LoginPage />
        </SessionProvider>
      </MemoryRouter>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect(screen.getByLabelText('Nome utente')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText('Campo obbligatorio')).toHaveLength(2);
    expect(screen.getByLabelText('Nome utente')).toHaveFocus();
  });
});

describe('single sign-on on the sign-in page', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('offers "Accedi con <provider>" for each configured identity provider, as a link that starts the sign-in', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url.endsWith('/api/v1/auth/oidc/providers')
          ? new Response(JSON.stringify({ items: [{ ente: 'cciaa-x', display_name: 'Entra ID', login_url: '/api/v1/auth/oidc/cciaa-x/login', local_accounts: true }] }), {
              status: 200,
              headers: { 'Content-Type': 'application/json' },
            })
          : new Response(null, { status: 401 }),
      ),
    );
    render(
      <MemoryRouter>
        <SessionProvider>
          <LoginPage />
        </SessionProvider>
      </MemoryRouter>,
    );
    const link = await screen.findByRole('link', { name: 'Accedi con Entra ID' });
    expect(link).toHaveAttribute('href', '/api/v1/auth/oidc/cciaa-x/login');
    expect(screen.getByRole('heading', { level: 2, name: "Accesso con l'identità dell'ente" })).toBeInTheDocument();
  });

  it('shows no single sign-on when none is configured', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ items: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchFn);
    render(
      <MemoryRouter>
        <SessionProvider>
          <LoginPage />
        </SessionProvider>
      </MemoryRouter>,
    );
    await vi.waitFor(() => expect(fetchFn).toHaveBeenCalled());
    expect(screen.queryByRole('link', { name: /Accedi con/ })).toBeNull();
  });
});
