import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { CivicAccessCount, PublicationRound, TransparencyObligation } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import { checkAccess, checkScores, scoreBody, scoreDraft } from './model';
import TransparencyPage from './TransparencyPage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const ob: TransparencyObligation = {
  id: 'o1',
  code: 'AT-050',
  section: "Pagamenti dell'amministrazione",
  subsection: 'Dati sui pagamenti',
  obligation: 'Dati sui pagamenti',
  legal_reference: 'art. 4-bis, c. 2, d.lgs. 33/2013',
  content: 'Dati sui propri pagamenti',
  frequency: 'Trimestrale',
  producing_unit: 'AD1',
  publishing_unit: '',
  deadline: 'Entro 30 giorni',
  source: 'ANAC del. 495/2024',
  version: 2,
};
const pubRound: PublicationRound = {
  round: { reference_date: '2026-05-31', state: 'open', sample_seed: '0', sample: [], opened_at: '2026-06-01T00:00:00Z', closed_at: null },
  items: [{ ...ob, check: null }],
  summary: { obligations: 1, recorded: 0, published: 0, complete: 0 },
};

function serve(opts: { grid?: TransparencyObligation[]; counts?: CivicAccessCount[]; extra?: (op: string, body?: unknown) => unknown } = {}) {
  const calls: Array<{ op: string; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, o = {}) => {
    calls.push({ op, body: o.body });
    const r = opts.extra?.(op, o.body);
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/transparency/obligations':
        return opts.grid ?? [ob];
      case 'POST /api/v1/cycles/:cycle/transparency/obligations/seed':
        return [ob];
      case 'GET /api/v1/cycles/:cycle/process-map':
        return { units: [{ code: 'AD1', title: 'Area 1' }], strategic_objectives: [], risk_areas: [] };
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds':
        return { items: [{ round: pubRound.round }] };
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date/publication':
        return pubRound;
      case 'GET /api/v1/transparency/civic-access':
        return opts.counts ?? [{ year: 2025, kind: 'generalizzato', received: 12, accepted: 8, refused: 3, pending: 1, version: 1 }];
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

function renderPage() {
  return render(
    <MemoryRouter>
      <TransparencyPage />
    </MemoryRouter>,
  );
}

describe('transparency model', () => {
  it('scores as ANAC does and checks the counts', () => {
    const d = { ...scoreDraft(null), published: '0', complete_content: '2' };
    expect(checkScores(d)).toEqual({ published: 'inconsistent' });
    expect(scoreBody({ ...scoreDraft(null), published: '2', up_to_date: '3' }, 4)).toMatchObject({ published: 2, complete_content: null, up_to_date: 3, version: 4 });
    expect(checkAccess({ year: 2025, kind: 'semplice', received: 1, accepted: 1, refused: 1, pending: 0 })).toEqual({ received: 'inconsistent' });
  });
});

describe('TransparencyPage', () => {
  it('shows the OIV the grid read-only with the offices, and lets it record the publication', async () => {
    session = testSession('oiv');
    const calls = serve({ extra: (op) => (op === 'PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/publication/:id' ? pubRound : undefined) });
    renderPage();
    const table = await screen.findByRole('table', { name: /Obblighi di pubblicazione del ciclo/ });
    const row = within(table).getByRole('row', { name: /AT-050/ });
    expect(within(row).getByText('Area 1')).toBeInTheDocument();
    expect(within(row).getByText('da assegnare')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Modifica/ })).toBeNull();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Pubblicazione (0 o 2)' }), '0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Completezza del contenuto (0–3)' }), '2');
    await user.click(screen.getByRole('button', { name: /Salva la rilevazione/ }));
    expect(await screen.findByText(/un obbligo non pubblicato ha 0/)).toBeInTheDocument();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(false);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Pubblicazione (0 o 2)' }), '2');
    await user.click(screen.getByRole('button', { name: /Salva la rilevazione/ }));
    await waitFor(() => expect(calls.find((c) => c.op.startsWith('PUT'))?.body).toMatchObject({ published: 2, complete_content: 2, complete_offices: null, version: 0 }));
    expect(screen.getByRole('button', { name: /griglia di attestazione OIV/ })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Salva' })).toBeNull(); // the civic-access register is the RPCT's
  });

  it('lets the RPCT start an empty grid from the shipped list', async () => {
    session = testSession('rpct');
    const calls = serve({ grid: [] });
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Carica la griglia iniziale/ }));
    await waitFor(() => expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/transparency/obligations/seed')).toBe(true));
    expect(await screen.findByRole('row', { name: /AT-050/ })).toBeInTheDocument();
  });

  it('lets the RPCT record a year of civic access, refusing inconsistent numbers', async () => {
    session = testSession('rpct');
    const calls = serve({ extra: (op, body) => (op === 'PUT /api/v1/transparency/civic-access' ? [body] : undefined) });
    renderPage();
    const user = userEvent.setup();
    const year = await screen.findByRole('spinbutton', { name: /Anno/ });
    await user.clear(year);
    await user.type(year, '2024');
    const received = screen.getByRole('spinbutton', { name: 'Ricevute' });
    await user.clear(received);
    await user.type(received, '3');
    const accepted = screen.getByRole('spinbutton', { name: 'Accolte' });
    await user.clear(accepted);
    await user.type(accepted, '5');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(received).toHaveAttribute('aria-invalid', 'true');
    await user.clear(accepted);
    await user.type(accepted, '2');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(calls.find((c) => c.op === 'PUT /api/v1/transparency/civic-access')?.body).toMatchObject({ year: 2024, received: 3, accepted: 2, version: 0 }));
  });
  it('has no accessibility violations axe can see in the DOM (contrast and landmarks belong to the browser and the shell)', async () => {
    session = testSession('rpct');
    serve();
    renderPage();
    await screen.findByRole('combobox', { name: 'Pubblicazione (0 o 2)' });
    
    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
