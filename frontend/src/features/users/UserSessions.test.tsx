// A manager sees how many sessions a user has open and ends them all after confirmation.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { fakeApi } from '../../test/api';
import { UserSessions } from './UserSessions';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

it('ends all the sessions of a user', async () => {
  let open = 2;
  const { impl, calls } = fakeApi({
    'GET /api/v1/users/:id/sessions': () => ({
      items: Array.from({ length: open }, (_, i) => ({ id: `s${i}`, created_at: '2026-12-01T08:00:00Z', last_used_at: '2026-12-01T09:00:00Z', expires_at: '2026-12-01T20:00:00Z', client_addr: '192.0.2.1', user_agent: 'x', browser: 'Firefox', os: 'Linux', current: false })),
    }),
    'DELETE /api/v1/users/:id/sessions': () => {
      const n = open;
      open = 0;
      return { ended: n };
    },
  });
  vi.spyOn(api, 'call').mockImplementation(impl as typeof api.call);
  render(<UserSessions userId="u9" username="dir2" />);
  expect(await screen.findByText('Sessioni attive: 2.')).toBeInTheDocument();
  await userEvent.click(screen.getByRole('button', { name: 'Chiudi tutte le sessioni' }));
  await userEvent.click(await screen.findByTestId('user-sessions-dialog-confirm'));
  await waitFor(() => expect(screen.getByTestId('user-sessions')).toHaveTextContent('Nessuna sessione attiva.'));
  expect(calls.find((c) => c.op === 'DELETE /api/v1/users/:id/sessions')?.opts.params).toEqual({ id: 'u9' });
});
