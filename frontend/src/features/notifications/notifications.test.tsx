import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Notification } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { CampaignCalendar } from '../../components/CampaignCalendar';
import { fakeApi, type Route as ApiRoute } from '../../test/api';
import { testCycle, testSession } from '../../test/session';
import InboxPage from './InboxPage';
import { NotificationBell } from './NotificationBell';
import OutboxPage from './OutboxPage';
import PreferencesPage from './PreferencesPage';

const h = vi.hoisted(() => ({ session: null as unknown as Session }));
vi.mock('../../auth/session', async (orig) => ({
  ...(await orig<typeof import('../../auth/session')>()),
  useSession: () => h.session,
}));

function mockApi(routes: Record<string, ApiRoute>) {
  const f = fakeApi(routes);
  vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
  return f;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const other = { ...testCycle, code: '2025-2027', start_year: 2025, end_year: 2027 };

const returned: Notification = {
  id: 'n1',
  kind: 'assessment_returned',
  subject: 'Valutazione restituita: C1.1',
  body: 'Il RPCT ha restituito la valutazione.\n\nCommento del RPCT:\nRivedere le misure.',
  link: '/valutazioni/C1.1?ciclo=2025-2027',
  email: 'queued',
  created_at: '2026-10-01T08:00:00Z',
  read_at: null,
};
const approved: Notification = { ...returned, id: 'n2', kind: 'assessment_approved', subject: 'Valutazione approvata: C1.2', email: 'digest', read_at: '2026-10-01T09:00:00Z' };

describe('bell', () => {
  it('says how many notifications are unread and links to the inbox', async () => {
    h.session = testSession('director');
    mockApi({ 'GET /api/v1/me/notifications/unread-count': () => ({ unread: 3 }) });
    render(
      <MemoryRouter>
        <NotificationBell />
      </MemoryRouter>,
    );
    const bell = await screen.findByRole('link', { name: 'Notifiche: 3 non lette' });
    expect(bell).toHaveAttribute('href', '/notifiche');
  });
});

describe('inbox', () => {
  function renderInbox() {
    render(
      <MemoryRouter initialEntries={['/notifiche']}>
        <Routes>
          <Route path="/notifiche" element={<InboxPage />} />
          <Route path="/valutazioni/:code" element={<p>pagina della valutazione</p>} />
        </Routes>
      </MemoryRouter>,
    );
  }

  it('lists the notifications, marks all read, and opens one in its cycle', async () => {
    h.session = testSession('director', { cycles: [testCycle, other] });
    const f = mockApi({
      'GET /api/v1/me/notifications': () => ({ items: [returned, approved], total: 2, unread: 1, page: 1, page_size: 20 }),
      'POST /api/v1/me/notifications/read-all': () => ({ marked: 1 }),
      'POST /api/v1/me/notifications/:id/read': () => undefined,
    });
    renderInbox();
    const list = await screen.findByRole('list', { name: 'Elenco delle notifiche' });
    const items = within(list).getAllByTestId('notification');
    expect(items).toHaveLength(2);
    expect(within(items[0]).getByText('Non letta')).toBeInTheDocument();
    expect(within(items[0]).getByText(/Rivedere le misure/)).toBeInTheDocument();
    expect(within(items[0]).getByText('inviata anche per e-mail')).toBeInTheDocument();
    expect(within(items[1]).queryByText('Non letta')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Segna tutte come lette' }));
    await waitFor(() => expect(f.calls.some((c) => c.op === 'POST /api/v1/me/notifications/read-all')).toBe(true));
    fireEvent.click(within(items[0]).getByRole('link', { name: /Apri/ }));
    await screen.findByText('pagina della valutazione');
    expect(f.calls.find((c) => c.op === 'POST /api/v1/me/notifications/:id/read')?.opts.params).toEqual({ id: 'n1' });
    expect(h.session.selectCycle).toHaveBeenCalledWith('2025-2027');
  });

  it('filters the unread ones', async () => {
    h.session = testSession('rpct');
    const f = mockApi({ 'GET /api/v1/me/notifications': () => ({ items: [], total: 0, unread: 0, page: 1, page_size: 20 }) });
    renderInbox();
    expect(await screen.findByText('Nessuna notifica.')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Mostra solo le non lette'));
    expect(await screen.findByText('Nessuna notifica da leggere.')).toBeInTheDocument();
    expect(f.calls.at(-1)?.opts.query).toMatchObject({ unread: true, page: 1 });
  });
});

describe('preferences', () => {
  it('saves which kinds come by e-mail and the digest, with the version read', async () => {
    h.session = testSession('director');
    const f = mockApi({
      'GET /api/v1/me/notification-preferences': () => ({ email: { comment: true, reminder: true }, digest: 'daily', version: 0, email_enabled: true }),
      'PUT /api/v1/me/notification-preferences': ({ body }) => ({ ...(body as object), version: 1, email_enabled: true }),
    });
    render(
      <MemoryRouter>
        <PreferencesPage />
      </MemoryRouter>,
    );
    const box = await screen.findByLabelText('Commento in una discussione a cui partecipo');
    expect(box).toBeChecked();
    fireEvent.click(box);
    fireEvent.change(screen.getByLabelText('Riepilogo delle notifiche non inviate singolarmente'), { target: { value: 'weekly' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salva le preferenze' }));
    await screen.findByText('Preferenze salvate.');
    const put = f.calls.find((c) => c.op === 'PUT /api/v1/me/notification-preferences');
    expect(put?.opts.body).toMatchObject({ digest: 'weekly', version: 0, email: { comment: false, reminder: true } });
  });

  it('says when the installation sends no e-mail', async () => {
    h.session = testSession('director');
    mockApi({ 'GET /api/v1/me/notification-preferences': () => ({ email: {}, digest: 'daily', version: 0, email_enabled: false }) });
    render(
      <MemoryRouter>
        <PreferencesPage />
      </MemoryRouter>,
    );
    expect(await screen.findByText(/non ha un server di posta configurato/)).toBeInTheDocument();
    expect(screen.getByLabelText('Promemoria delle scadenze')).toBeDisabled();
  });
});

describe('outbox', () => {
  it('shows the failed e-mails with their error, resends one, and says when SMTP is off', async () => {
    h.session = testSession('admin');
    const f = mockApi({
      'GET /api/v1/notifications/outbox': () => ({
        smtp: '',
        counts: { queued: 0, sent: 4, failed: 1 },
        items: [{ id: 'm1', user_id: 'u', kind: 'reminder', to: 'dir@ente.it', subject: 'Promemoria', link: '/', message_id: 'm1@argine', state: 'failed', attempts: 12, next_attempt_at: '2026-10-01T08:00:00Z', last_error: '550 mailbox unavailable', created_at: '2026-10-01T08:00:00Z' }],
        total: 1,
        page: 1,
        page_size: 20,
      }),
      'POST /api/v1/notifications/outbox/:id/resend': () => ({}),
    });
    render(
      <MemoryRouter>
        <OutboxPage />
      </MemoryRouter>,
    );
    expect(await screen.findByText(/Nessun server di posta configurato/)).toBeInTheDocument();
    expect(screen.getByText('550 mailbox unavailable')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Invia di nuovo/ }));
    await waitFor(() => expect(f.calls.find((c) => c.op === 'POST /api/v1/notifications/outbox/:id/resend')?.opts.params).toEqual({ id: 'm1' }));
  });
});

describe('campaign calendar', () => {
  const view = {
    cycle: '2026-2028',
    today: '2026-10-01',
    items: [
      { phase: 'self_assessment_due', round_date: '', due_on: '2026-10-08', label: "Scadenza dell'autovalutazione delle strutture", days_left: 7, todo: '3 valutazioni da inviare', mine: true },
      { phase: 'adoption_due', round_date: '', due_on: '2026-09-30', label: 'Adozione da parte della Giunta', days_left: -1, todo: '', mine: false },
    ],
    reminder_days: [7, 1],
    version: 2,
    can_edit: true,
  };

  it('shows the dates with the days left and what is mine, and lets the RPCT change them', async () => {
    h.session = testSession('rpct');
    const f = mockApi({
      'GET /api/v1/cycles/:cycle/calendar': () => view,
      'PUT /api/v1/cycles/:cycle/calendar': () => view,
    });
    render(<CampaignCalendar cycle="2026-2028" />);
    const table = await screen.findByRole('table', { name: 'Scadenze del ciclo 2026-2028' });
    expect(within(table).getByText('mancano 7 giorni')).toBeInTheDocument();
    expect(within(table).getByText('scaduta da 1 giorno')).toBeInTheDocument();
    expect(within(table).getByText('3 valutazioni da inviare')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Modifica il calendario' }));
    fireEvent.change(screen.getByLabelText('Promemoria: giorni prima di ogni scadenza'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salva il calendario' }));
    expect(await screen.findByText('Inserisci da 1 a 5 numeri da 1 a 90.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Promemoria: giorni prima di ogni scadenza'), { target: { value: '14, 3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salva il calendario' }));
    await waitFor(() => expect(f.calls.some((c) => c.op === 'PUT /api/v1/cycles/:cycle/calendar')).toBe(true));
    const put = f.calls.find((c) => c.op === 'PUT /api/v1/cycles/:cycle/calendar');
    expect(put?.opts.body).toMatchObject({
      version: 2,
      reminder_days: [14, 3],
      items: [
        { phase: 'self_assessment_due', due_on: '2026-10-08' },
        { phase: 'adoption_due', due_on: '2026-09-30' },
      ],
    });
  });
});
