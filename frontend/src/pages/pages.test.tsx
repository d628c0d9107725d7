import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
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
