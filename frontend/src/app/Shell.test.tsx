// The side navigation: plain links the shell hands to the router (issue #19), marked as react-router's NavLink marked
// them (class active, aria-current="page"), following the menu and closing it on a phone.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../auth/session';
import { isCurrent } from '../lib/routerLinks';
import { testSession } from '../test/session';

let session: Session;
vi.mock('../auth/session', async (orig) => ({ ...(await orig<typeof import('../auth/session')>()), useSession: () => session, useSessionState: () => ({ signOut: vi.fn() }) }));
vi.mock('../features/notifications/NotificationBell', () => ({ NotificationBell: () => null }));

import { Shell } from './Shell';

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname}</p>;
}

function renderAt(url: string) {
  session = testSession('rpct');
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Shell>
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </Shell>
    </MemoryRouter>,
  );
}

const nav = () => within(screen.getByRole('navigation', { name: 'Menu principale' }));

afterEach(cleanup);

describe('side navigation', () => {
  it('marks the current page as NavLink did: the home only at /, a section on its pages', () => {
    expect(isCurrent('/', '/', true)).toBe(true);
    expect(isCurrent('/registro', '/', true)).toBe(false);
    expect(isCurrent('/registro', '/registro')).toBe(true);
    expect(isCurrent('/registro/importa', '/registro')).toBe(true);
    expect(isCurrent('/registrox', '/registro')).toBe(false);
    expect(isCurrent('/notifiche/email', '/notifiche')).toBe(true);
    expect(isCurrent('/Registro', '/registro')).toBe(true);

    renderAt('/registro/importa');
    const current = nav()
      .getAllByRole('link')
      .filter((a) => a.getAttribute('aria-current') === 'page');
    expect(current.map((a) => a.getAttribute('href'))).toEqual(['/registro']);
    expect(current[0]).toHaveClass('list-item', 'active');
    expect(nav().getByRole('link', { name: 'Cruscotto' })).not.toHaveAttribute('aria-current');
    expect(nav().getByRole('link', { name: 'Cruscotto' })).toHaveAttribute('href', '/');
  });

  it('follows an entry in the app by click or Enter, leaves a modified click to the browser, and closes the menu', async () => {
    renderAt('/');
    const menu = screen.getByRole('button', { expanded: false });
    await userEvent.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    const register = nav().getByRole('link', { name: 'Registro dei rischi' });
    expect(fireEvent.click(register, { ctrlKey: true })).toBe(true);
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/$/);
    await userEvent.click(register);
    expect(screen.getByTestId('where')).toHaveTextContent('/registro');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(register).toHaveAttribute('aria-current', 'page');
    nav().getByRole('link', { name: 'Mappa dei processi' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('where')).toHaveTextContent('/mappa');
    expect(register).not.toHaveAttribute('aria-current');
  });
});
