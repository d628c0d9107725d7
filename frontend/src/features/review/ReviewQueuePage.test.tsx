import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { RegisterRow } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import ReviewQueuePage from './ReviewQueuePage';
import { fakeApi, type Route as ApiRoute } from '../../test/api';
import { testSession } from '../../test/session';

const h = vi.hoisted(() => ({ session: null as unknown as Session }));
vi.mock('../../auth/session', async (orig) => ({
  ...(await orig<typeof import('../../auth/session')>()),
  useSession: () => h.session,
  useCycleCode: () => '2026-2028',
}));

const row = (node: string, title: string, level: string, units = ['AD2']): RegisterRow => ({ node, node_title: title, units, state: 'submitted', inherent_level: level });
let queue: RegisterRow[];
let posted: unknown[];

function routes(): Record<string, ApiRoute> {
  return {
    'GET /api/v1/cycles/:cycle/register': () => ({ items: queue, total: queue.length }),
    'GET /api/v1/audit': () => ({
      total: 1,
      items: [{ entity_id: '2026-2028/C2.2.1', at: '2026-11-25T09:00:00.000000Z', actor_name: 'dir2', action: 'submit' }],
    }),
    'POST /api/v1/cycles/:cycle/assessments/transitions': ({ body }) => {
      posted.push(body);
      const b = body as { nodes: string[] };
      queue = queue.filter((r) => r.node === 'C2.2.2');
      return {
        results: b.nodes.map((n) => (n === 'C2.2.2' ? { node: n, ok: false, code: 'transition_not_allowed' } : { node: n, ok: true, state: 'returned', version: 3 })),
        succeeded: b.nodes.length - 1,
        failed: 1,
        rolled_back: false,
      };
    },
  };
}

beforeEach(() => {
  h.session = testSession('rpct');
  queue = [row('C2.2.1', 'Iscrizioni', 'medio'), row('C2.2.1', 'Iscrizioni', 'alto'), row('C2.2.2', 'Cancellazioni', 'basso'), row('C2.3.1', 'Depositi', 'basso', ['AD3'])];
  posted = [];
  vi.spyOn(api, 'call').mockImplementation(fakeApi(routes()).impl as typeof api.call);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderQueue() {
  render(
    <MemoryRouter initialEntries={['/revisione']}>
      <ReviewQueuePage />
    </MemoryRouter>,
  );
}

describe('review queue', () => {
  it('lists one row per submitted leaf with its worst level, submitter and a link to review it', async () => {
    renderQueue();
    const table = await screen.findByRole('table', { name: /Valutazioni inviate in attesa di revisione/ });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    const r = within(table).getByRole('link', { name: /C2\.2\.1/ }).closest('tr') as HTMLElement;
    expect(within(r).getByText('Alto')).toBeInTheDocument();
    expect(within(r).getByText(/da dir2/)).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: /C2\.2\.1/ })).toHaveAttribute('href', '/revisione/C2.2.1');
  });

  it('returns the selected leaves with one comment and shows the result of each', async () => {
    const user = userEvent.setup();
    renderQueue();
    const bulkReturn = await screen.findByRole('button', { name: 'Rinvia le selezionate' });
    expect(bulkReturn).toBeDisabled();
    await user.click(screen.getByLabelText('Seleziona C2.2.1'));
    await user.click(screen.getByLabelText('Seleziona C2.2.2'));
    expect(screen.getByText('2 selezionate')).toBeInTheDocument();
    await user.click(bulkReturn);
    const dialog = await screen.findByRole('dialog', { name: 'Rinvia 2 valutazioni con osservazioni' });
    await user.click(within(dialog).getByRole('button', { name: 'Conferma il rinvio' }));
    expect(within(dialog).getByText('Campo obbligatorio: scrivi almeno 10 caratteri.')).toBeInTheDocument();
    expect(posted).toEqual([]);
    await user.type(within(dialog).getByLabelText('Osservazioni per il dirigente'), 'Indicare le fonti dei dati');
    await user.click(within(dialog).getByLabelText('Tutto o niente'));
    await user.click(within(dialog).getByRole('button', { name: 'Conferma il rinvio' }));
    expect(await screen.findByRole('heading', { name: 'Esito del rinvio' })).toBeInTheDocument();
    expect(posted).toEqual([{ action: 'return', nodes: ['C2.2.1', 'C2.2.2'], comment: 'Indicare le fonti dei dati', all_or_nothing: true }]);
    const results = screen.getByRole('table', { name: 'Esito per valutazione' });
    expect(within(results).getByText('Riuscita')).toBeInTheDocument();
    expect(within(results).getByText("L'operazione non è consentita nello stato attuale della valutazione.")).toBeInTheDocument();
    // reactstrap's Modal keeps the dialog mounted while it fades out.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('selects every visible row with "Seleziona tutte", within the unit filter', async () => {
    const user = userEvent.setup();
    renderQueue();
    await screen.findByRole('table', { name: /Valutazioni inviate/ });
    await user.selectOptions(screen.getByLabelText('Unità organizzativa'), 'AD3');
    await user.click(screen.getByLabelText('Seleziona tutte'));
    expect(screen.getByText('1 selezionata')).toBeInTheDocument();
    expect(screen.getByLabelText('Seleziona C2.3.1')).toBeChecked();
    expect(screen.queryByLabelText('Seleziona C2.2.1')).not.toBeInTheDocument();
  });

  it('shows the OIV the queue without selection or decisions', async () => {
    h.session = testSession('oiv');
    renderQueue();
    await screen.findByRole('table', { name: /Valutazioni inviate/ });
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approva le selezionate' })).not.toBeInTheDocument();
  });
});
