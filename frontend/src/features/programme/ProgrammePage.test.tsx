import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { ProgrammeMeasure, ProgrammeRound } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import { checkDraft, codes, draftOf, fieldOf } from './model';
import ProgrammePage from './ProgrammePage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const mg09: ProgrammeMeasure = {
  id: 'p1',
  code: 'MG09',
  general_code: 'MG09',
  type: 'T06',
  title: 'Formazione anticorruzione',
  legal_basis: 'L. 190/2012 co. 9',
  unit: 'SG',
  start: '2026-01-31',
  end: '2026-12-31',
  phases: [{ title: 'Corsi', deadline: '2026-10-31' }],
  indicators: [{ name: 'formati / dipendenti', baseline: '60%', target: '90%' }],
  areas: ['A'],
  processes: [],
  status: 'existing_confirmed',
  version: 3,
  links: 4,
  missing: [],
};

const round: ProgrammeRound = {
  round: { reference_date: '2026-06-30', state: 'open', sample_seed: '0', sample: [], opened_at: '2026-07-01T00:00:00Z', closed_at: null },
  measures: [{ ...mg09, entry: null, overdue: false }],
};

function serve(extra: (op: string, body?: unknown) => unknown = () => undefined) {
  const calls: Array<{ op: string; body?: unknown; query?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body, query: opts.query });
    const r = extra(op, opts.body);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/general-measures':
        return [mg09];
      case 'GET /api/v1/cycles/:cycle/process-map':
        return { units: [{ code: 'SG', title: 'Segretario generale' }, { code: 'AD1', title: 'Area 1' }], strategic_objectives: [], risk_areas: [{ code: 'A', title: 'Personale' }] };
      case 'GET /api/v1/catalogue/measure-types':
        return { items: [{ code: 'T06', name: 'formazione' }] };
      case 'GET /api/v1/catalogue/general-measures':
        return { items: [{ code: 'MG09', name: 'Formazione in materia di anticorruzione', legal_basis: 'L. 190/2012', measure_type: 'T06', enabling_factors: ['FA-f', 'FA-g'] }] };
      case 'GET /api/v1/catalogue/enabling-factors':
        return {
          items: [
            { code: 'FA-a', description: 'mancanza di misure di trattamento del rischio' },
            { code: 'FA-f', description: 'inadeguatezza delle competenze del personale' },
            { code: 'FA-g', description: 'inadeguata diffusione della cultura della legalità' },
          ],
        };
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds':
        return { items: [{ round: round.round }] };
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures':
        return round;
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

function renderPage() {
  return render(
    <MemoryRouter>
      <ProgrammePage />
    </MemoryRouter>,
  );
}

describe('programme model', () => {
  it('splits codes, checks the draft and maps the API paths to fields', () => {
    expect(codes('A, B-bis;C  D')).toEqual(['A', 'B-bis', 'C', 'D']);
    const d = { ...draftOf(), code: 'M G', start: '2026-05-01', end: '2026-01-01', phases: [{ title: '', deadline: '2026-13-01' }] };
    expect(checkDraft(d)).toEqual({ code: 'code_invalid', title: 'required', end: 'end_before_start', 'phases[0].title': 'required', 'phases[0].deadline': 'date_invalid' });
    expect(fieldOf('areas[3]')).toBe('areas');
    expect(fieldOf('enabling_factors[1]')).toBe('enabling_factors');
    expect(checkDraft({ ...draftOf(), code: 'X1', title: 'x', cost_note: 'é'.repeat(4001) })).toEqual({ cost_note: 'too_long' });
    expect(draftOf({ ...mg09, cost_note: 'nota', enabling_factors: ['FA-a'] })).toMatchObject({ cost_note: 'nota', enabling_factors: ['FA-a'] });
    expect(fieldOf('phases[1].deadline')).toBe('phases[1].deadline');
  });
});

describe('ProgrammePage', () => {
  it('shows the OIV the programme read-only, with the links and the monitoring', async () => {
    session = testSession('oiv');
    serve();
    renderPage();
    const table = await screen.findByRole('table', { name: /Misure generali del ciclo 2026-2028/ });
    const row = within(table).getByRole('row', { name: /MG09/ });
    expect(within(row).getByText('Esistente confermata')).toBeInTheDocument();
    expect(within(row).getByText('4')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Aggiungi una misura generale/ })).toBeNull();
    expect(await screen.findByText(/non ancora rilevata/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Salva l'autovalutazione/ })).toBeNull();
  });

  it('lets the RPCT add a measure from the catalogue, checking it first and sending the codes as lists', async () => {
    session = testSession('rpct');
    const calls = serve((op, body) => (op === 'POST /api/v1/cycles/:cycle/general-measures' ? { ...(body as object), id: 'p2', version: 1 } : undefined));
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Aggiungi una misura generale' }));
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByRole('textbox', { name: /Codice/ })).toHaveAttribute('aria-invalid', 'true');
    expect(calls.some((c) => c.op.startsWith('POST'))).toBe(false);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Misura generale del catalogo' }), 'MG09');
    expect(screen.getByRole('textbox', { name: /Titolo/ })).toHaveValue('Formazione in materia di anticorruzione');
    await user.clear(screen.getByRole('textbox', { name: /Codice/ }));
    await user.type(screen.getByRole('textbox', { name: /Codice/ }), 'MG09-bis');
    await user.type(screen.getByRole('textbox', { name: 'Aree di rischio' }), 'A, B');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/general-measures')).toBe(true));
    const sent = calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/general-measures')!.body as ProgrammeMeasure;
    expect(sent).toMatchObject({ code: 'MG09-bis', general_code: 'MG09', type: 'T06', areas: ['A', 'B'], processes: [], version: 0 });
  });

  it('suggests the catalogue measure\'s enabling factors and sends the factors and the cost note', async () => {
    session = testSession('rpct');
    const calls = serve((op, body) => (op === 'POST /api/v1/cycles/:cycle/general-measures' ? { ...(body as object), id: 'p2', version: 1 } : undefined));
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Aggiungi una misura generale' }));
    const group = screen.getByRole('group', { name: 'Fattori abilitanti affrontati' });
    expect(within(group).getAllByRole('checkbox').filter((c) => (c as HTMLInputElement).checked)).toHaveLength(0);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Misura generale del catalogo' }), 'MG09');
    expect(within(group).getByRole('checkbox', { name: /FA-f/ })).toBeChecked();
    expect(within(group).getByRole('checkbox', { name: /FA-g/ })).toBeChecked();
    expect(within(group).getByRole('checkbox', { name: /FA-a/ })).not.toBeChecked();
    expect(within(group).getAllByText('dal catalogo')).toHaveLength(2);
    await user.click(within(group).getByRole('checkbox', { name: /FA-g/ }));
    await user.click(within(group).getByRole('checkbox', { name: /FA-a/ }));
    await user.type(screen.getByRole('textbox', { name: 'Costo e sostenibilità' }), 'Docenti interni, nessun costo');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(calls.some((c) => c.op === 'POST /api/v1/cycles/:cycle/general-measures')).toBe(true));
    const sent = calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/general-measures')!.body as ProgrammeMeasure;
    expect(sent).toMatchObject({ enabling_factors: ['FA-f', 'FA-a'], cost_note: 'Docenti interni, nessun costo' });
  });

  it('puts an unknown enabling factor\'s 422 on the group of factors', async () => {
    session = testSession('rpct');
    serve((op) =>
      op === 'PUT /api/v1/cycles/:cycle/general-measures/:id'
        ? new ApiError({ type: 't', title: 'x', status: 422, code: 'programme_measure_invalid', errors: [{ field: 'enabling_factors[0]', code: 'enabling_factor_unknown', message: 'x' }] })
        : undefined,
    );
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Modifica MG09' }));
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText("Fattore abilitante non presente nel catalogo dell'ente.")).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Fattori abilitanti affrontati' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('lets the RPCT link the assessments\' own general measures by code', async () => {
    session = testSession('rpct');
    const calls = serve((op) => (op === 'POST /api/v1/cycles/:cycle/general-measures/link-by-code' ? { linked: 3 } : undefined));
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Collega le misure generali delle valutazioni' }));
    expect(await screen.findByText('3 misure generali delle valutazioni collegate al programma.', { selector: 'p' })).toBeInTheDocument();
    expect(calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/general-measures')).toHaveLength(2);
  });

  it('puts the server field errors on the fields', async () => {
    session = testSession('rpct');
    serve((op) =>
      op === 'PUT /api/v1/cycles/:cycle/general-measures/:id'
        ? new ApiError({ type: 't', title: 'x', status: 422, code: 'programme_measure_invalid', errors: [{ field: 'areas[0]', code: 'risk_area_unknown', message: 'x' }] })
        : undefined,
    );
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Modifica MG09' }));
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText('Area di rischio non presente nella mappa.')).toBeInTheDocument();
  });

  it('lets the responsible office self-assess its measure in an open round', async () => {
    session = testSession('director', { units: ['SG'] });
    const calls = serve((op) => (op === 'PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures/:id' ? round : undefined));
    renderPage();
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Stato di attuazione' }), 'attuata');
    await user.click(screen.getByRole('button', { name: /Salva l'autovalutazione/ }));
    await waitFor(() => expect(calls.find((c) => c.op.startsWith('PUT'))?.body).toEqual({ status: 'attuata', reason: '' }));
  });
  it('has no accessibility violations axe can see in the DOM (contrast and landmarks belong to the browser and the shell)', async () => {
    session = testSession('rpct');
    serve();
    renderPage();
    await screen.findByRole('button', { name: 'Aggiungi una misura generale' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Aggiungi una misura generale' }));
    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
