import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import CyclePage from './CyclePage';
import { testCycle, testSession } from '../../test/session';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const profile = { code: 'pna2019', name: 'PNA 2019 – valutazione qualitativa', kind: 'qualitative', likelihood_indicators: [{}, {}], impact_indicators: [{}], likelihood_aggregation: 'max', impact_aggregation: 'max', risk_levels: [{ code: 'basso', label: 'Basso', rank: 1 }] };

type Handler = (op: string, opts: { params?: Record<string, string>; body?: unknown; query?: Record<string, unknown> }) => unknown;

function serve(extra: Handler = () => undefined) {
  const calls: Array<{ op: string; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body });
    const r = extra(op, opts as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/progress':
        return { cycle: '2026-2028', deadline: '2026-11-30', overdue: false, units: [{ unit: 'AD1', states: { draft: 2, not_started: 1 }, leaves: 3, overdue: 0 }] };
      case 'GET /api/v1/cycles/:cycle/methodology':
        return { cycle: '2026-2028', profile, chosen: false, version: 0 };
      case 'GET /api/v1/methodology/profiles':
        return { items: [profile, { ...profile, code: 'pna2013-mean', name: 'PNA 2013 – numerica', kind: 'numeric' }] };
      case 'GET /api/v1/audit':
        return { items: [{ seq: 4, action: 'exclude', after: '{"node":"A1.1.1.9","reason":"attività non più svolta"}' }], total: 1, page: 1, page_size: 1000 };
      case 'GET /api/v1/cycles/:cycle/nodes':
        return { items: [{ code: 'A1.1.1.0', title: 'Protocollo' }, { code: 'A1.1.1.1', title: 'Archivio' }, { code: 'A1.1.1.9', title: 'Vecchia attività' }], total: 3, page: 1, page_size: 1000 };
      case 'GET /api/v1/cycles/:cycle/oiv-notes':
        return { items: [] };
      case 'GET /api/v1/cycles/:cycle/roll-forward/reviews':
        return { items: [] };
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

const renderPage = () =>
  render(
    <MemoryRouter>
      <CyclePage />
    </MemoryRouter>,
  );

describe('cycle screen for the RPCT', () => {
  beforeEach(() => {
    session = testSession('rpct');
  });

  it('shows the state as a list of steps in words', async () => {
    serve();
    renderPage();
    const steps = await screen.findByTestId('cycle-steps');
    const current = within(steps).getAllByRole('listitem').find((li) => li.getAttribute('aria-current') === 'step');
    expect(current).toHaveTextContent('Aperto');
    expect(current).toHaveTextContent('Stato attuale');
    expect(within(steps).getByText('Pubblicato').closest('li')).toHaveTextContent('Da fare');
    expect(await screen.findByTestId('campaign-deadline')).toHaveTextContent('30 novembre 2026');
  });

  it('lists the leaves blocking consolidation, each with a shortcut to exclude it', async () => {
    const calls = serve((op) =>
      op === 'POST /api/v1/cycles/:cycle/consolidate'
        ? new ApiError({ type: 't', title: 'Conflict', status: 409, code: 'consolidation_blocked', detail: '265 leaves are neither approved nor excluded, e.g. A1.1.1.0, A1.1.1.1, A1.1.1.9' })
        : undefined,
    );
    renderPage();
    await screen.findByTestId('exclusions-table');
    await userEvent.click(screen.getByRole('button', { name: 'Consolida il ciclo' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('non si può annullare');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Consolida' }));
    expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/consolidate')).toBe(true);

    const box = await screen.findByTestId('consolidation-blockers');
    expect(box).toHaveAttribute('role', 'alert');
    expect(box).toHaveTextContent('265 azioni non sono né approvate né escluse.');
    expect(box).toHaveTextContent('Ecco le prime 3:');
    expect(within(box).getByRole('link', { name: 'Azione A1.1.1.0' })).toHaveAttribute('href', '/valutazioni/A1.1.1.0');
    // already excluded (from the audit trail): marked, no shortcut
    expect(within(box).queryByRole('button', { name: 'Escludi A1.1.1.9' })).toBeNull();
    expect(within(box).getByText('Esclusa')).toBeInTheDocument();

    await userEvent.click(within(box).getByRole('button', { name: 'Escludi A1.1.1.1' }));
    expect(screen.getByLabelText(/Codice dell'azione/)).toHaveValue('A1.1.1.1');
    await waitFor(() => expect(screen.getByLabelText(/Motivazione dell'esclusione/)).toHaveFocus());
    expect(session.reloadCycles).not.toHaveBeenCalled();
  });

  it('asks a reason of ten characters before excluding, then shows the new list', async () => {
    const calls = serve((op, opts) =>
      op === 'POST /api/v1/cycles/:cycle/exclusions' ? { items: [{ node: 'A1.1.1.0', reason: (opts.body as { reason: string }).reason }, { node: 'A1.1.1.9', reason: 'attività non più svolta' }] } : undefined,
    );
    renderPage();
    await screen.findByTestId('exclusions-table');
    await userEvent.type(screen.getByLabelText(/Codice dell'azione/), 'A1.1.1.0');
    await userEvent.type(screen.getByLabelText(/Motivazione dell'esclusione/), 'breve');
    await userEvent.click(screen.getByRole('button', { name: "Escludi l'azione" }));
    const reason = screen.getByLabelText(/Motivazione dell'esclusione/);
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason.getAttribute('aria-describedby')).toContain('exclusion-reason-error');
    expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/exclusions')).toBe(false);
    await userEvent.type(reason, ' ma sufficiente');
    await userEvent.click(screen.getByRole('button', { name: "Escludi l'azione" }));
    await waitFor(() => expect(within(screen.getByTestId('exclusions-table')).getByText('breve ma sufficiente')).toBeInTheDocument());
    expect(calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/exclusions')?.body).toEqual({ node: 'A1.1.1.0', reason: 'breve ma sufficiente' });
  });

  it('confirms the methodology with the version read', async () => {
    const calls = serve((op) => (op === 'PUT /api/v1/cycles/:cycle/methodology' ? { cycle: '2026-2028', profile: { ...profile, code: 'pna2013-mean', name: 'PNA 2013 – numerica', kind: 'numeric' }, chosen: true, version: 1 } : undefined));
    renderPage();
    await userEvent.click(await screen.findByLabelText('PNA 2013 – numerica'));
    await userEvent.click(screen.getByRole('button', { name: 'Conferma la metodologia' }));
    await waitFor(() => expect(screen.getByTestId('methodology-current')).toHaveTextContent('PNA 2013 – numerica'));
    expect(calls.find((c) => c.op === 'PUT /api/v1/cycles/:cycle/methodology')?.body).toEqual({ profile_code: 'pna2013-mean', version: 0 });
  });

  it('explains why the methodology is locked after a submission', async () => {
    serve((op) =>
      op === 'GET /api/v1/cycles/:cycle/progress' ? { cycle: '2026-2028', deadline: '', units: [{ unit: 'AD1', states: { submitted: 1 }, leaves: 1 }] } : undefined,
    );
    renderPage();
    expect(await screen.findByTestId('methodology-locked')).toHaveTextContent('almeno una valutazione è già stata inviata');
    expect(screen.queryByRole('button', { name: 'Conferma la metodologia' })).toBeNull();
  });

  it('records the adoption only after confirmation, with the fields checked first', async () => {
    const consolidated: Cycle = { ...testCycle, state: 'consolidated' };
    session = testSession('rpct', { cycle: consolidated });
    const calls = serve((op) => (op === 'POST /api/v1/cycles/:cycle/adopt' ? { ...consolidated, state: 'adopted' } : undefined));
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: "Registra l'adozione" }));
    expect(screen.getByLabelText(/Numero della delibera/)).toHaveAttribute('aria-invalid', 'true');
    await userEvent.type(screen.getByLabelText(/Numero della delibera/), '12/2027');
    await userEvent.click(screen.getByRole('button', { name: "Registra l'adozione" }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delibera n. 12/2027');
    expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/adopt')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Adotta e congela il registro' }));
    await waitFor(() => expect(session.reloadCycles).toHaveBeenCalled());
    expect(calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/adopt')?.body).toMatchObject({ deliberation_number: '12/2027' });
  });
});

describe('cycle screen for the OIV', () => {
  it('reads the cycle and writes a note, without the RPCT controls', async () => {
    session = testSession('oiv');
    const calls = serve((op, opts) =>
      op === 'POST /api/v1/cycles/:cycle/oiv-notes' ? { id: 'n1', created_at: '2026-11-20T10:00:00Z', author_name: 'oiv', ...(opts.body as object) } : undefined,
    );
    renderPage();
    await screen.findByTestId('cycle-steps');
    expect(screen.queryByRole('button', { name: 'Consolida il ciclo' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Salva la scadenza' })).toBeNull();
    await screen.findByText("L'OIV non ha registrato note su questo ciclo.");
    await userEvent.click(screen.getByRole('button', { name: 'Aggiungi la nota' }));
    expect(screen.getByLabelText(/Testo della nota/)).toHaveAttribute('aria-invalid', 'true');
    await userEvent.type(screen.getByLabelText(/Testo della nota/), 'Verificata la coerenza delle esclusioni.');
    await userEvent.click(screen.getByRole('button', { name: 'Aggiungi la nota' }));
    const table = await screen.findByTestId('oiv-notes');
    expect(table).toHaveTextContent('Verificata la coerenza delle esclusioni.');
    expect(calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/oiv-notes')?.body).toEqual({ target_kind: 'cycle', target: '2026-2028', body: 'Verificata la coerenza delle esclusioni.' });
  });
});
