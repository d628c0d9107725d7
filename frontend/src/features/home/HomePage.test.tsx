import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { fakeApi, type Route as ApiRoute } from '../../test/api';
import { testCycle, testSession } from '../../test/session';
import HomePage from './HomePage';

const h = vi.hoisted(() => ({ session: null as unknown as Session }));
vi.mock('../../auth/session', async (orig) => ({
  ...(await orig<typeof import('../../auth/session')>()),
  useSession: () => h.session,
  useCycleCode: () => h.session.cycle?.code ?? '',
}));

// Every home shows the cycle's campaign calendar (components/CampaignCalendar); these tests leave it empty.
const emptyCalendar = () => ({ cycle: '2026-2028', today: '2026-10-01', items: [], reminder_days: [7, 1], version: 0, can_edit: false });

function mockApi(routes: Record<string, ApiRoute>) {
  const f = fakeApi({ 'GET /api/v1/cycles/:cycle/calendar': emptyCalendar, ...routes });
  vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
  return f;
}

function renderHome() {
  render(
    <MemoryRouter>
      <HomePage />
    </MemoryRouter>,
  );
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const adopted: Cycle = { ...testCycle, code: '2025-2027', start_year: 2025, end_year: 2027, state: 'published', deliberation_number: '12', deliberation_date: '2025-01-28', published_url: 'https://ente.example/piao', published_on: '2025-01-30' };

describe('home by role', () => {
  it('gives the OIV links and the adopted cycles, with no action buttons and no register fan-out', async () => {
    h.session = testSession('oiv', { cycles: [testCycle, adopted] });
    const f = mockApi({});
    renderHome();
    // the role sections show once the calendar above them has its dates (no layout shift when it grows)
    expect(await screen.findByRole('heading', { name: 'Verifica e controllo' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Registro dei rischi' })).toHaveAttribute('href', '/registro');
    expect(screen.getByRole('link', { name: 'Registro delle attività' })).toHaveAttribute('href', '/attivita');
    const table = screen.getByRole('table', { name: 'Cicli adottati' });
    expect(within(table).getByText('n. 12 del 28 gennaio 2025')).toBeInTheDocument();
    expect(within(table).getByText('Pubblicato')).toBeInTheDocument();
    expect(within(table).queryByText('2026-2028')).not.toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.queryByRole('heading', { name: 'Le mie azioni' })).not.toBeInTheDocument();
    expect(f.calls.map((c) => c.op)).toEqual(['GET /api/v1/cycles/:cycle/calendar']);
  });

  it('shows a director what the RPCT returned and why, the deadline and the leaves by state', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    const f = mockApi({
      'GET /api/v1/cycles/:cycle/progress': () => ({ deadline: '2026-11-01', overdue: true, units: [{ unit: 'AD2', leaves: 3, overdue: 2, states: {} }] }),
      'GET /api/v1/cycles/:cycle/nodes': () => ({
        total: 3,
        items: [
          { code: 'C1.1', title: 'Iscrizioni', units: ['AD2'] },
          { code: 'C1.2', title: 'Depositi', units: ['AD2'] },
          { code: 'C1.3', title: 'Protesti', units: ['AD2'] },
        ],
      }),
      'GET /api/v1/cycles/:cycle/register': () => ({
        total: 3,
        items: [
          { node: 'C1.1', state: 'returned', inherent_level: 'alto' },
          { node: 'C1.1', state: 'returned', inherent_level: 'medio' },
          { node: 'C1.2', state: 'submitted', inherent_level: 'basso' },
        ],
      }),
      'GET /api/v1/cycles/:cycle/leaves': (o) =>
        o.query?.to_sign
          ? { total: 1, items: [{ code: 'C1.2', title: 'Depositi', units: ['AD2'], lead_unit: 'AD2', state: 'draft', missing_count: 4, complete: false, excluded: false, handed_off: { by: 'u1', by_name: 'Rita Referente', at: '2026-10-02T09:00:00Z' } }] }
          : {
              total: 3,
              items: [
                { code: 'C1.1', title: 'Iscrizioni', units: ['AD2'], lead_unit: 'AD2', state: 'returned', missing_count: 0, complete: true, excluded: false },
                { code: 'C1.2', title: 'Depositi', units: ['AD2'], lead_unit: 'AD2', state: 'submitted', missing_count: 0, complete: true, excluded: false },
                { code: 'C1.3', title: 'Protesti', units: ['AD2'], lead_unit: 'AD2', state: 'none', missing_count: 0, complete: false, excluded: false },
              ],
            },
      'GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments': () => ({
        items: [
          { id: '1', kind: 'return', author_name: 'rpct', body: 'Prima osservazione superata', created_at: '2026-10-01T10:00:00Z' },
          { id: '2', kind: 'submit', author_name: 'dir2', body: 'Corretta', created_at: '2026-10-02T10:00:00Z' },
          { id: '3', kind: 'return', author_name: 'rpct', body: 'Manca il valore atteso dell’indicatore.', created_at: '2026-10-03T10:00:00Z' },
        ],
      }),
    });
    renderHome();
    expect(await screen.findByRole('link', { name: 'Rivedi C1.1 – Iscrizioni' })).toHaveAttribute('href', '/valutazioni/C1.1');
    expect(screen.getByText('Manca il valore atteso dell’indicatore.')).toBeInTheDocument();
    expect(screen.queryByText('Prima osservazione superata')).not.toBeInTheDocument();
    expect(screen.getByText(/Osservazioni di rpct/)).toBeInTheDocument();
    expect(screen.getByTestId('home-deadline')).toHaveTextContent('1 novembre 2026');
    expect(screen.getByTestId('home-overdue')).toHaveTextContent('La scadenza è passata: 2 azioni delle tue unità non sono ancora state inviate.');
    const counts = screen.getByRole('table', { name: 'Le azioni delle mie unità per stato della valutazione' });
    const countOf = (label: string) => within(within(counts).getByText(label).closest('tr') as HTMLElement).getAllByRole('cell')[0];
    expect(countOf('Da rivedere')).toHaveTextContent('1');
    expect(countOf('Inviata')).toHaveTextContent('1');
    expect(countOf('Non iniziata')).toHaveTextContent('1');
    const list = screen.getByRole('table', { name: /Azioni delle mie unità: 3 di 3/ });
    expect(within(list).getByRole('link', { name: /C1\.3/ })).toHaveAttribute('href', '/valutazioni/C1.3');
    // Only the returned leaf's thread is read: no request per leaf.
    expect(f.calls.filter((c) => c.op.endsWith('/comments')).map((c) => c.opts.params?.code)).toEqual(['C1.1']);
    expect(within(list).getAllByText('Completa')).toHaveLength(2);
    // The "da firmare" list: the drafts a referente handed off, with what they still lack.
    const toSign = await screen.findByTestId('to-sign');
    expect(await within(toSign).findByRole('link', { name: 'C1.2 Depositi' })).toHaveAttribute('href', '/valutazioni/C1.2');
    expect(toSign).toHaveTextContent('Rita Referente');
    expect(toSign).toHaveTextContent('4 elementi mancanti');
    expect(screen.queryByRole('heading', { name: 'Verifica e controllo' })).not.toBeInTheDocument();
  });

  it('gives the RPCT the queue, the progress by unit and the risks by level', async () => {
    h.session = testSession('rpct');
    mockApi({
      'GET /api/v1/cycles/:cycle/dashboard': () => ({
        risks: 10,
        by_level: { basso: 3, alto: 7 },
        progress: {
          deadline: '2026-12-15',
          overdue: false,
          units: [
            { unit: 'AD1', leaves: 6, overdue: 0, states: { not_started: 2, draft: 1, submitted: 2, excluded: 1 } },
            { unit: 'SG', leaves: 1, overdue: 0, states: { draft: 1 } },
          ],
          total: { leaves: 6, overdue: 0, states: { not_started: 2, draft: 1, submitted: 2, excluded: 1 } },
        },
      }),
      'GET /api/v1/cycles/:cycle/register': () => ({ total: 3, items: [{ node: 'A1' }, { node: 'A1' }, { node: 'A2' }] }),
    });
    renderHome();
    expect(await screen.findByTestId('home-queue-count')).toHaveTextContent('2');
    // Each section appears when its own answer has arrived (and the role sections after the campaign calendar):
    // found by waiting, not read at once (under load the link came after the queue's count).
    expect(await screen.findByRole('link', { name: 'Vai alle valutazioni da revisionare' })).toHaveAttribute('href', '/revisione');
    const progress = await screen.findByRole('table', { name: 'Avanzamento della campagna per unità organizzativa' });
    expect(within(progress).getByRole('columnheader', { name: 'Non iniziate' })).toBeInTheDocument();
    // Excluded leaves have their own column: out of the campaign, never work to do.
    expect(within(progress).getByRole('columnheader', { name: 'Escluse' })).toBeInTheDocument();
    const ad1 = within(progress).getByRole('rowheader', { name: 'AD1' }).closest('tr') as HTMLElement;
    expect(within(ad1).getAllByRole('cell').map((c) => c.textContent)).toEqual(['6', '2', '1', '0', '2', '0', '1', '0']);
    // A leaf of AD1 and SG is counted under each unit, once in the total.
    expect(within(screen.getByTestId('home-progress-total')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['6', '2', '1', '0', '2', '0', '1', '0']);
    const levels = await screen.findByRole('table', { name: 'Rischi per livello di rischio inerente' });
    expect(within(levels).getAllByRole('rowheader').map((c) => c.textContent)).toEqual(['Alto', 'Basso', 'Totale']);
    expect(screen.getByRole('link', { name: 'Apri la mappa di calore' })).toHaveAttribute('href', '/mappa-di-calore');
    expect(screen.getByTestId('home-overdue-count')).toHaveTextContent('0');
  });

  it('gives the administrator users and the map', async () => {
    h.session = testSession('admin');
    mockApi({});
    renderHome();
    expect(await screen.findByRole('link', { name: 'Utenti' })).toHaveAttribute('href', '/utenti');
    expect(screen.getByRole('link', { name: 'Mappa dei processi' })).toHaveAttribute('href', '/mappa');
    expect(screen.queryByRole('heading', { name: 'Revisione e avanzamento della campagna' })).not.toBeInTheDocument();
  });
});
