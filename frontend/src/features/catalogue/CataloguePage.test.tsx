import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { RiskEvent } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import { clearCaches } from '../../lib/register/data';
import CataloguePage from './CataloguePage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());
beforeEach(() => clearCaches());

const ev = (code: string, description: string, risk_areas: string[], over: Partial<RiskEvent> = {}): RiskEvent => ({
  code,
  description,
  risk_areas,
  source: 'ARGINE_SEED',
  to_validate: true,
  active: true,
  version: 1,
  ...over,
});
const starter = () => [
  ev('ER-A-01', 'Il dirigente inserisce nel bando requisiti personalizzati', ['A']),
  ev('ER-B-01', "Il RUP frammenta l'affidamento per eludere la gara", ['B'], { to_validate: false, source: 'PNA2013_ALL3' }),
  ev('ER-N-01', 'Il funzionario concede un contributo senza verificare i requisiti', ['N', 'D']),
];
const problem = (status: number, code: string, extra: object = {}) => new ApiError({ type: 't', title: 'x', status, code, ...extra });

type Handler = (op: string, opts: { params?: Record<string, string>; body?: unknown }) => unknown;

function serve(extra: Handler = () => undefined, events: () => RiskEvent[] = starter) {
  const calls: Array<{ op: string; body?: unknown; params?: Record<string, string> }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body, params: opts.params });
    const r = extra(op, opts as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/catalogue/risk-events':
        return { items: events() };
      case 'GET /api/v1/cycles/:cycle/process-map':
        return {
          units: [],
          strategic_objectives: [],
          risk_areas: [
            { code: 'A', title: 'Acquisizione e gestione del personale' },
            { code: 'B', title: 'Contratti pubblici' },
            { code: 'D', title: 'Provvedimenti con effetto economico' },
            { code: 'N', title: 'Promozione dei servizi camerali' },
          ],
        };
      case 'GET /api/v1/catalogue/enabling-factors':
        return { items: [{ code: 'FA-a', description: 'mancanza di misure di trattamento del rischio', source: 'PNA2019_ALL1' }] };
      case 'GET /api/v1/catalogue/measure-types':
        return { items: [{ code: 'T01', name: 'controllo', example_indicator: 'n. di controlli effettuati' }, { code: 'T03', name: 'etica', example_indicator: 'incontri' }] };
      case 'GET /api/v1/catalogue/general-measures':
        return { items: [{ code: 'MG01', name: 'Codice di comportamento', legal_basis: 'art. 54 d.lgs. 165/2001', measure_type: 'T03' }] };
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

let location = '';
function LocationProbe() {
  const l = useLocation();
  location = l.search;
  return null;
}

const renderAt = (url = '/catalogo') =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <CataloguePage />
      <LocationProbe />
    </MemoryRouter>,
  );

const rowOf = (code: string) => within(screen.getByTestId('events-table')).getByRole('rowheader', { name: code }).closest('tr')!;
const codesShown = () => within(screen.getByTestId('events-table')).queryAllByRole('rowheader').map((h) => h.textContent);

describe('catalogue: risk events', () => {
  beforeEach(() => {
    session = testSession('rpct');
  });

  it('lists the events with their area titles and their state as text', async () => {
    serve();
    renderAt();
    await screen.findByTestId('events-table');
    await waitFor(() => expect(rowOf('ER-A-01')).toHaveTextContent('A – Acquisizione e gestione del personale'));
    expect(rowOf('ER-A-01')).toHaveTextContent('Da validare');
    expect(rowOf('ER-B-01')).toHaveTextContent('Validato');
    expect(rowOf('ER-B-01')).toHaveTextContent('PNA 2013, allegato 3');
    expect(rowOf('ER-N-01')).toHaveTextContent('D – Provvedimenti con effetto economico');
    expect(screen.getByText(/Eventi da validare: 2/)).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Eventi rischiosi' })).toHaveAttribute('aria-selected', 'true');
  });

  it('announces the count as loading, not as an empty catalogue, until the events arrive', async () => {
    let arrive: (v: { items: RiskEvent[] }) => void = () => undefined;
    const pending = new Promise<{ items: RiskEvent[] }>((resolve) => (arrive = resolve));
    serve((op) => (op === 'GET /api/v1/catalogue/risk-events' ? pending : undefined));
    renderAt();
    const count = await screen.findByTestId('events-count');
    expect(count).toHaveAttribute('aria-live', 'polite');
    expect(count).toHaveTextContent('Caricamento…');
    expect(count).not.toHaveTextContent('0 eventi su 0');
    arrive({ items: starter() });
    await waitFor(() => expect(count).toHaveTextContent('3 eventi su 3'));
    expect(count).not.toHaveTextContent('Caricamento');
  });

  it('reads the filters from the URL and writes them back', async () => {
    serve();
    const user = userEvent.setup();
    renderAt('/catalogo?risk_area=A');
    await screen.findByTestId('events-table');
    expect(screen.getByLabelText('Area di rischio')).toHaveValue('A');
    expect(codesShown()).toEqual(['ER-A-01']);
    expect(screen.getByTestId('events-count')).toHaveTextContent('1 evento su 3');

    await user.selectOptions(screen.getByLabelText('Area di rischio'), 'D');
    expect(location).toBe('?risk_area=D');
    expect(codesShown()).toEqual(['ER-N-01']);

    await user.selectOptions(screen.getByLabelText('Area di rischio'), '');
    await user.selectOptions(screen.getByLabelText('Stato'), 'da-validare');
    expect(location).toBe('?stato=da-validare');
    expect(codesShown()).toEqual(['ER-A-01', 'ER-N-01']);

    await user.type(screen.getByLabelText('Cerca per codice o descrizione'), 'CONTRIBUTO');
    await waitFor(() => expect(location).toBe('?stato=da-validare&q=CONTRIBUTO'));
    expect(codesShown()).toEqual(['ER-N-01']);

    await user.click(screen.getByRole('button', { name: 'Azzera i filtri' }));
    expect(location).toBe('');
    expect(codesShown()).toHaveLength(3);
    expect(screen.getByLabelText('Cerca per codice o descrizione')).toHaveValue('');
  });

  it('names the problems of a new event per field, without calling the API', async () => {
    const calls = serve();
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Nuovo evento rischioso' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Codice/), 'x');
    await user.type(within(dialog).getByLabelText(/^Descrizione del comportamento/), 'troppo corta');
    await user.click(within(dialog).getByRole('button', { name: "Crea l'evento" }));

    expect(within(dialog).getByLabelText(/^Codice/)).toHaveAccessibleDescription(/Codice non valido/);
    expect(within(dialog).getByLabelText(/^Descrizione del comportamento/)).toHaveAccessibleDescription(/almeno 15 caratteri/);
    expect(within(dialog).getByRole('group', { name: /Aree di rischio/ })).toHaveAccessibleDescription(/Campo obbligatorio/);
    await waitFor(() => expect(within(dialog).getByLabelText(/^Codice/)).toHaveFocus());
    expect(calls.some((c) => c.op === 'POST /api/v1/catalogue/risk-events')).toBe(false);
  });

  it('creates an event and shows the code taken by another as an error of the code', async () => {
    let taken = true;
    const calls = serve((op, { body }) => {
      if (op !== 'POST /api/v1/catalogue/risk-events') return undefined;
      if (taken) return problem(409, 'risk_event_exists');
      return { ...(body as RiskEvent), version: 1 };
    });
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Nuovo evento rischioso' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Codice/), 'er-a-20');
    await user.type(within(dialog).getByLabelText(/^Descrizione del comportamento/), 'Il dipendente altera la graduatoria finale');
    await user.click(within(dialog).getByLabelText(/^A – Acquisizione/));
    await user.click(within(dialog).getByRole('button', { name: "Crea l'evento" }));
    expect(await within(dialog).findByText('Esiste già un evento con questo codice.')).toBeInTheDocument();

    taken = false;
    await user.click(within(dialog).getByRole('button', { name: "Crea l'evento" }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.filter((c) => c.op === 'POST /api/v1/catalogue/risk-events').at(-1)?.body).toEqual({
      code: 'ER-A-20',
      description: 'Il dipendente altera la graduatoria finale',
      risk_areas: ['A'],
      source: 'ENTE',
      to_validate: false,
      active: true,
    });
    expect(rowOf('ER-A-20')).toHaveTextContent('Validato');
  });

  it('keeps the typed values on a version conflict and saves them on the current version', async () => {
    let stored = starter();
    let conflictOnce = true;
    const calls = serve(
      (op, { body }) => {
        if (op !== 'PATCH /api/v1/catalogue/risk-events/:code') return undefined;
        if (conflictOnce) {
          conflictOnce = false;
          // someone else changed the event meanwhile
          stored = stored.map((e) => (e.code === 'ER-A-01' ? { ...e, description: 'Descrizione cambiata da un collega', version: 2 } : e));
          return problem(409, 'version_conflict', { current_version: 2 });
        }
        return { ...(body as RiskEvent), version: 3 };
      },
      () => stored,
    );
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Modifica ER-A-01' }));
    const dialog = await screen.findByRole('dialog');
    const description = within(dialog).getByLabelText(/^Descrizione del comportamento/);
    await user.clear(description);
    await user.type(description, 'La mia nuova descrizione del comportamento');
    await user.click(within(dialog).getByLabelText(/^Evento validato/));
    await user.click(within(dialog).getByRole('button', { name: 'Salva le modifiche' }));

    const conflict = await within(dialog).findByTestId('event-conflict');
    expect(conflict).toHaveTextContent('Descrizione cambiata da un collega');
    expect(description).toHaveValue('La mia nuova descrizione del comportamento');
    expect(within(dialog).getByLabelText(/^Evento validato/)).toBeChecked();
    // the list behind shows what is stored now
    expect(rowOf('ER-A-01')).toHaveTextContent('Descrizione cambiata da un collega');

    await user.click(within(dialog).getByRole('button', { name: 'Salva i miei valori' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patches = calls.filter((c) => c.op === 'PATCH /api/v1/catalogue/risk-events/:code');
    expect(patches).toHaveLength(2);
    expect(patches[0].body).toMatchObject({ version: 1, active: true });
    expect(patches[1].params).toEqual({ code: 'ER-A-01' });
    expect(patches[1].body).toEqual({
      code: 'ER-A-01',
      description: 'La mia nuova descrizione del comportamento',
      risk_areas: ['A'],
      source: 'ARGINE_SEED',
      to_validate: false,
      active: true,
      version: 2,
    });
    expect(rowOf('ER-A-01')).toHaveTextContent('La mia nuova descrizione del comportamento');
    expect(rowOf('ER-A-01')).toHaveTextContent('Validato');
  });

  it('can take the saved values instead after a conflict', async () => {
    let stored = starter();
    serve(
      (op) => {
        if (op !== 'PATCH /api/v1/catalogue/risk-events/:code') return undefined;
        stored = stored.map((e) => (e.code === 'ER-B-01' ? { ...e, description: 'Versione del collega, più recente', version: 5 } : e));
        return problem(409, 'version_conflict', { current_version: 5 });
      },
      () => stored,
    );
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Modifica ER-B-01' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/^Descrizione del comportamento/), ' (aggiunta)');
    await user.click(within(dialog).getByRole('button', { name: 'Salva le modifiche' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Usa i valori salvati' }));
    expect(within(dialog).getByLabelText(/^Descrizione del comportamento/)).toHaveValue('Versione del collega, più recente');
    expect(within(dialog).queryByTestId('event-conflict')).not.toBeInTheDocument();
  });

  it('validates a starter event from its row', async () => {
    const calls = serve((op, { body }) => (op === 'PATCH /api/v1/catalogue/risk-events/:code' ? { ...(body as RiskEvent), version: 2 } : undefined));
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Valida ER-A-01' }));
    await waitFor(() => expect(rowOf('ER-A-01')).toHaveTextContent('Validato'));
    // focus moves on to the next event to validate
    await waitFor(() => expect(screen.getByRole('button', { name: 'Valida ER-N-01' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(rowOf('ER-N-01')).toHaveTextContent('Validato'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Modifica ER-N-01' })).toHaveFocus());
    expect(calls.filter((c) => c.op === 'PATCH /api/v1/catalogue/risk-events/:code').at(-1)?.body).toEqual({
      code: 'ER-N-01',
      description: 'Il funzionario concede un contributo senza verificare i requisiti',
      risk_areas: ['N', 'D'],
      source: 'ARGINE_SEED',
      to_validate: false,
      active: true,
      version: 1,
    });
    expect(within(rowOf('ER-N-01')).queryByRole('button', { name: /Valida/ })).not.toBeInTheDocument();
  });
});

describe('catalogue: validation conflicts', () => {
  it('tells the RPCT when an event changed before the validation, and refreshes the list', async () => {
    session = testSession('rpct');
    let stored = starter();
    serve(
      (op) => {
        if (op !== 'PATCH /api/v1/catalogue/risk-events/:code') return undefined;
        stored = stored.map((e) => (e.code === 'ER-A-01' ? { ...e, description: 'Testo rivisto da un collega nel frattempo', version: 2 } : e));
        return problem(409, 'version_conflict', { current_version: 2 });
      },
      () => stored,
    );
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    await user.click(screen.getByRole('button', { name: 'Valida ER-A-01' }));
    const alert = await screen.findByTestId('event-row-problem');
    expect(alert).toHaveTextContent(/ER-A-01 è stato modificato da qualcun altro/);
    await waitFor(() => expect(rowOf('ER-A-01')).toHaveTextContent('Testo rivisto da un collega nel frattempo'));
    expect(rowOf('ER-A-01')).toHaveTextContent('Da validare');
    await waitFor(() => expect(alert).toHaveFocus());
  });
});

describe('catalogue: read-only users', () => {
  it.each(['director', 'referente', 'oiv'] as const)('%s reads the catalogue without any form', async (role) => {
    session = testSession(role);
    serve();
    const user = userEvent.setup();
    renderAt();
    await screen.findByTestId('events-table');
    expect(screen.getByText('Sola lettura: il catalogo è gestito dal RPCT.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Nuovo evento rischioso' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Modifica/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Valida/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Azioni' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Fattori abilitanti' }));
    await screen.findByTestId('factors-table');
    expect(screen.queryByTestId('factor-form')).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('tells who may not read that they cannot', () => {
    session = testSession('admin');
    session = { ...session, can: () => false };
    serve();
    renderAt();
    expect(screen.getByText('Non hai i permessi per vedere il catalogo dei rischi.')).toBeInTheDocument();
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument();
  });
});

describe('catalogue: other sections', () => {
  beforeEach(() => {
    session = testSession('rpct');
  });

  it('moves between tabs with the arrow keys and keeps the section in the URL', async () => {
    serve();
    const user = userEvent.setup();
    renderAt('/catalogo?risk_area=A');
    await screen.findByTestId('events-table');
    screen.getByRole('tab', { name: 'Eventi rischiosi' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Fattori abilitanti' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Fattori abilitanti' })).toHaveAttribute('aria-selected', 'true');
    expect(location).toBe('?risk_area=A&sezione=fattori');
    expect(screen.getByRole('tabpanel', { name: 'Fattori abilitanti' })).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(location).toBe('?risk_area=A&sezione=misure-generali');
    const table = await screen.findByTestId('general-measures-table');
    const row = within(table).getByRole('rowheader', { name: 'MG01' }).closest('tr')!;
    expect(row).toHaveTextContent('art. 54 d.lgs. 165/2001');
    await waitFor(() => expect(row).toHaveTextContent('T03 – etica'));
    await user.keyboard('{ArrowLeft}');
    const types = await screen.findByTestId('measure-types-table');
    expect(within(types).getByRole('rowheader', { name: 'T01' }).closest('tr')).toHaveTextContent('n. di controlli effettuati');
  });

  it('lets the RPCT add an enabling factor, checking it first', async () => {
    const calls = serve((op, { body }) => (op === 'POST /api/v1/catalogue/enabling-factors' ? body : undefined));
    const user = userEvent.setup();
    renderAt('/catalogo?sezione=fattori');
    const form = await screen.findByTestId('factor-form');
    await user.type(within(form).getByLabelText(/^Codice/), 'FA-a');
    await user.type(within(form).getByLabelText(/^Descrizione/), 'breve');
    await user.click(within(form).getByRole('button', { name: 'Aggiungi il fattore' }));
    expect(within(form).getByLabelText(/^Codice/)).toHaveAccessibleDescription(/Esiste già un fattore con questo codice/);
    expect(within(form).getByLabelText(/^Descrizione/)).toHaveAccessibleDescription(/almeno 10 caratteri/);
    expect(calls.some((c) => c.op === 'POST /api/v1/catalogue/enabling-factors')).toBe(false);

    await user.clear(within(form).getByLabelText(/^Codice/));
    await user.type(within(form).getByLabelText(/^Codice/), 'FA-i');
    await user.type(within(form).getByLabelText(/^Descrizione/), ' formazione del personale');
    await user.click(within(form).getByRole('button', { name: 'Aggiungi il fattore' }));
    const row = await within(screen.getByTestId('factors-table')).findByRole('rowheader', { name: 'FA-i' });
    expect(row.closest('tr')).toHaveTextContent('Ente');
    expect(calls.find((c) => c.op === 'POST /api/v1/catalogue/enabling-factors')?.body).toEqual({ code: 'FA-i', description: 'breve formazione del personale', source: 'ENTE' });
    expect(within(form).getByLabelText(/^Codice/)).toHaveValue('');
  });

  it('lets the RPCT edit the enabling factors a general measure addresses, at the version read', async () => {
    const calls = serve((op, { body }) =>
      op === 'PUT /api/v1/catalogue/general-measures/:code/enabling-factors'
        ? { code: 'MG01', name: 'Codice di comportamento', ...(body as object), version: 2 }
        : op === 'GET /api/v1/catalogue/general-measures'
          ? { items: [{ code: 'MG01', name: 'Codice di comportamento', legal_basis: 'art. 54 d.lgs. 165/2001', measure_type: 'T03', enabling_factors: [], version: 1 }] }
          : undefined,
    );
    const user = userEvent.setup();
    renderAt('/catalogo?sezione=misure-generali');
    const table = await screen.findByTestId('general-measures-table');
    await user.click(await within(table).findByRole('button', { name: 'Modifica i fattori MG01' }));
    const group = screen.getByRole('group', { name: 'Fattori abilitanti affrontati' });
    await user.click(within(group).getByRole('checkbox', { name: /FA-a – mancanza di misure/ }));
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(calls.some((c) => c.op === 'PUT /api/v1/catalogue/general-measures/:code/enabling-factors')).toBe(true));
    const put = calls.find((c) => c.op === 'PUT /api/v1/catalogue/general-measures/:code/enabling-factors')!;
    expect(put.params).toEqual({ code: 'MG01' });
    expect(put.body).toEqual({ enabling_factors: ['FA-a'], version: 1 });
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Fattori abilitanti affrontati' })).toBeNull());
  });

  it('shows the general measures read-only to who may not edit the catalogue', async () => {
    session = testSession('director', { units: ['AD1'] });
    serve();
    renderAt('/catalogo?sezione=misure-generali');
    const table = await screen.findByTestId('general-measures-table');
    await within(table).findByRole('rowheader', { name: 'MG01' });
    expect(within(table).queryByRole('button', { name: /Modifica i fattori/ })).toBeNull();
  });
});
