import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import { parseResults } from './ObjectivesSection';
import { isEvidenceLink, parseNumber } from './model';
import SottosezionePage from './SottosezionePage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const contextView = {
  kind: 'context',
  cycle: '2026-2028',
  version: 3,
  simplified: false,
  content: {
    demo: true,
    external: {
      text: 'Territorio',
      items: [
        { id: 'i1', category: 'criminalita', label: 'Delitti denunciati', value: 2900, year: 2023, source: 'ISTAT' },
        { id: 'i2', category: 'criminalita', label: 'Delitti denunciati', value: 2750, year: 2024, source: 'ISTAT' },
      ],
    },
    internal: { text: '', items: [] },
  },
  computed: {
    coverage: {
      processes: 49, subprocesses: 121, leaves: 265, assessed_leaves: 40, excluded_leaves: 1, marked: 49, described: 3,
      processes_without_unit: [], processes_without_area: ['B2.2'], processes_undescribed: 46, assessed_percent: 15.1,
      risk_areas_covered: [], risk_areas_without_leaves: [],
    },
    trends: [{ category: 'criminalita', label: 'Delitti denunciati', points: [{ year: 2023, value: 2900, item: 'i1' }, { year: 2024, value: 2750, item: 'i2' }], change: -150 }],
  },
};

const selfCheckView = {
  kind: 'self_check',
  cycle: '2026-2028',
  version: 0,
  simplified: false,
  content: {
    questions: [
      { id: 'q1', theme: 'coerenza', text: 'Ogni processo ha unità e area?', answer: '', evidence: [], auto: 'map_complete' },
      { id: 'q2', theme: 'partecipazione', text: 'Consultazione svolta?', answer: 'si', evidence: ['/sottosezione/consultazione'] },
    ],
  },
  computed: { checks: { map_complete: { passed: false, summary: '49 processi: 0 senza unità, 1 senza area di rischio', details: ['B2.2: nessuna area di rischio'], evidence: ['/mappa'] } } },
};

type Handler = (op: string, o: { params?: Record<string, string>; body?: unknown }) => unknown;
function serve(extra?: Handler) {
  const calls: Array<{ op: string; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, o = {}) => {
    calls.push({ op, body: o.body });
    const r = extra?.(op, o as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/sottosezione/context':
        return contextView;
      case 'GET /api/v1/cycles/:cycle/sottosezione/self-check':
        return selfCheckView;
      case 'GET /api/v1/sottosezione/settings':
        return { simplified: false, headcount: null, headcount_date: '', version: 0, waivers: [] };
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

const renderAt = (path: string) =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/sottosezione/:part" element={<SottosezionePage />} />
      </Routes>
    </MemoryRouter>,
  );

describe('context analysis', () => {
  it('shows the demo flag, the computed coverage and the year-over-year figures', async () => {
    session = testSession('oiv');
    serve();
    renderAt('/sottosezione/contesto');
    expect(await screen.findByTestId('demo-flag')).toBeInTheDocument();
    expect(screen.getByTestId('coverage')).toHaveTextContent('Processi senza unità: 0; senza area di rischio: B2.2');
    expect(screen.getByTestId('trends')).toHaveTextContent('2023: 2900; 2024: 2750');
    expect(screen.getByTestId('trends')).toHaveTextContent('-150');
    // the OIV reads only: the fields are disabled and there is no save button
    expect(screen.getAllByLabelText(/Descrizione/)[0]).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Salva' })).toBeNull();
  });

  it('lets the RPCT add a figure and saves the whole part at the version read', async () => {
    session = testSession('rpct');
    const calls = serve((op, o) => (op === 'PUT /api/v1/cycles/:cycle/sottosezione/context' ? { ...contextView, version: 4, content: (o.body as { content: unknown }).content } : undefined));
    renderAt('/sottosezione/contesto');
    await screen.findByTestId('coverage');
    await userEvent.click(screen.getByRole('button', { name: /Aggiungi Contesto interno/ }));
    const item = screen.getByRole('group', { name: 'Contesto interno, dato 1' });
    await userEvent.type(within(item).getByLabelText(/Descrizione/), 'Dipendenti in servizio');
    await userEvent.type(within(item).getByLabelText('Valore'), '12');
    // a value without its year is refused before sending
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await within(item).findByText('Inserisci un anno tra 1990 e 2100.')).toBeInTheDocument();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(false);
    await userEvent.type(within(item).getByLabelText('Anno di riferimento'), '2025');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(calls.some((c) => c.op === 'PUT /api/v1/cycles/:cycle/sottosezione/context')).toBe(true));
    const body = calls.find((c) => c.op.startsWith('PUT'))!.body as { version: number; content: { internal: { items: Array<Record<string, unknown>> }; external: { items: Array<{ id: string }> } } };
    expect(body.version).toBe(3);
    expect(body.content.internal.items[0]).toMatchObject({ category: 'organizzazione', label: 'Dipendenti in servizio', value: 12, year: 2025 });
    expect(body.content.external.items.map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(await screen.findByText('Modifiche salvate.', { selector: '[role=status]' })).toBeInTheDocument();
  });

  it('puts the server field errors on the fields and reports a conflict', async () => {
    session = testSession('rpct');
    let n = 0;
    serve((op) => {
      if (!op.startsWith('PUT')) return undefined;
      n++;
      if (n === 1)
        return new ApiError({ type: 't', title: 'Unprocessable', status: 422, code: 'context_invalid', errors: [{ field: 'content.external.items[1].source', code: 'too_long', message: 'x' }] });
      return new ApiError({ type: 't', title: 'Conflict', status: 409, code: 'version_conflict' });
    });
    renderAt('/sottosezione/contesto');
    await screen.findByTestId('coverage');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    const second = screen.getByRole('group', { name: 'Contesto esterno, dato 2' });
    expect(await within(second).findByText('Il testo è troppo lungo.')).toBeInTheDocument();
    expect(within(second).getByLabelText('Fonte')).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText(/Qualcun altro ha modificato/)).toBeInTheDocument();
  });
});

describe('ANAC self-check', () => {
  it("shows Argine's own check beside the question and refuses a bad evidence link", async () => {
    session = testSession('rpct');
    const calls = serve();
    renderAt('/sottosezione/autovalutazione');
    const auto = await screen.findByTestId('auto-check');
    expect(auto).toHaveTextContent('Da verificare');
    expect(auto).toHaveTextContent('B2.2: nessuna area di rischio');
    expect(screen.getByText('Risposte date: 1 su 2')).toBeInTheDocument();
    const evidence = screen.getAllByLabelText(/Evidenze/)[0];
    await userEvent.type(evidence, 'javascript:alert(1)');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText(/Inserisci un indirizzo https/)).toBeInTheDocument();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(false);
  });
});

describe('simplified regime', () => {
  it('refuses the simplified regime for 50 employees or more', async () => {
    session = testSession('rpct');
    const calls = serve();
    renderAt('/sottosezione/regime');
    await userEvent.click(await screen.findByLabelText("L'ente applica il regime semplificato"));
    await userEvent.type(screen.getByLabelText(/Dipendenti in servizio/), '60');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByText('Il regime semplificato vale per enti con meno di 50 dipendenti.')).toBeInTheDocument();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(false);
  });
});

describe('helpers', () => {
  it('parses numbers, yearly results and evidence links', () => {
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('dodici')).toBeNaN();
    expect(parseResults('2025; 90%; parziale\n2026; 95%; si; raggiunto')).toEqual([
      { year: 2025, value: '90%', achieved: 'parziale' },
      { year: 2026, value: '95%', achieved: 'si', note: 'raggiunto' },
    ]);
    expect(parseResults('2025; 90%; forse')).toBeNull();
    expect(isEvidenceLink('/registro')).toBe(true);
    expect(isEvidenceLink('https://ente.example/at')).toBe(true);
    expect(isEvidenceLink('javascript:alert(1)')).toBe(false);
  });
});

describe('sottosezione downloads', () => {
  it('offers the whole document and the ANAC platform data to every reader, and downloads through the route', async () => {
    session = testSession('oiv');
    serve();
    const download = vi.spyOn(api, 'download').mockResolvedValue(undefined);
    renderAt('/sottosezione/contesto');
    const region = screen.getByRole('region', { name: 'Scarica la sottosezione' });
    const buttons = within(region).getAllByRole('button').map((b) => b.textContent);
    expect(buttons).toEqual([
      'Sottosezione completa (PDF accessibile)',
      'Sottosezione completa (ODT, modificabile)',
      'Sottosezione completa (DOCX, modificabile)',
      'Dati per la piattaforma ANAC (Excel)',
      'Dati per la piattaforma ANAC (CSV)',
    ]);
    await userEvent.click(within(region).getByRole('button', { name: 'Dati per la piattaforma ANAC (Excel)' }));
    await waitFor(() =>
      expect(download).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/sottosezione/exports/:file', { params: { cycle: '2026-2028', file: 'piattaforma-anac.xlsx' } }, '2026-2028_piattaforma-anac.xlsx'),
    );
  });
});
