import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../auth/session';
import { methodology } from '../../test/methodology';
import { testSession } from '../../test/session';
import type { Row } from '../../lib/register/data';

const { call, download } = vi.hoisted(() => ({ call: vi.fn(), download: vi.fn() }));
let session: Session;

vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call, download } }));
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useCycleCode: () => '2026-2028', useSession: () => session }));

import RegisterPage from './RegisterPage';
import { clearCaches } from '../../lib/register/data';

const rows: Row[] = [
  { node: 'C2.9', node_title: 'Sanzioni', state: 'draft', risk_id: 'r1', event_code: 'ER-F-01', event_description: 'Omessa verifica', inherent_level: 'medio', residual_level: 'basso', decision: 'keep_existing_measures', units: ['AD3'], risk_areas: ['F'], measure_types: ['T01'], priority: 1, measures: 1, measures_missing: [] },
  { node: 'C2.10', node_title: 'Ispezioni', state: 'submitted', risk_id: 'r2', event_code: 'ER-F-02', event_description: 'Ispezione pilotata', inherent_level: 'alto', residual_level: 'medio', decision: 'treat_new_measures', units: ['AD3'], risk_areas: ['F'], measure_types: ['T01', 'T08'], priority: 1, measures: 2, measures_missing: ['phases', 'dates'] },
  { node: 'B1.1', node_title: 'Concorsi', state: 'approved', risk_id: 'r3', event_code: 'ER-A-01', event_description: 'Bando su misura', inherent_level: 'basso', residual_level: 'basso', decision: 'keep_existing_measures', units: ['AD1'], risk_areas: ['A'], measure_types: ['T02'], priority: 1, measures: 1, measures_missing: [] },
];

function respond(op: string, opts: { query?: Record<string, unknown> }) {
  if (op.endsWith('/register')) return Promise.resolve({ items: rows, total: rows.length, page: opts.query?.page ?? 1, page_size: 1000 });
  if (op.endsWith('/methodology')) return Promise.resolve(methodology);
  if (op.endsWith('/process-map')) return Promise.resolve({ units: [{ code: 'AD1', title: 'Area 1' }, { code: 'AD3', title: 'Area 3' }], risk_areas: [{ code: 'A', title: 'Personale' }], strategic_objectives: [], nodes: [], counts: {} });
  if (op.endsWith('/measure-types')) return Promise.resolve({ items: [{ code: 'T01', name: 'controllo' }] });
  return Promise.reject(new Error(`unexpected ${op}`));
}

let location = '';
function Spy() {
  location = useLocation().search;
  return null;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route
          path="/registro"
          element={
            <>
              <RegisterPage />
              <Spy />
            </>
          }
        />
      </Routes>
      <div id="announcer" aria-live="polite" />
    </MemoryRouter>,
  );
}

const bodyCodes = () =>
  within(screen.getByTestId('register-table'))
    .getAllByRole('rowheader')
    .map((th) => th.textContent?.split(' ')[0]);

describe('register page', () => {
  beforeEach(() => {
    clearCaches();
    call.mockReset();
    call.mockImplementation(respond);
    session = testSession('director');
  });
  afterEach(cleanup);

  it('shows every row with its action as row header, linked to the editor, and the count', async () => {
    renderAt('/registro');
    const table = await screen.findByTestId('register-table');
    expect(screen.getByTestId('register-count')).toHaveTextContent('3 rischi trovati');
    expect(within(table).getAllByRole('rowheader')).toHaveLength(3);
    const link = within(table).getByRole('link', { name: /C2\.10 Ispezioni/ });
    expect(link).toHaveAttribute('href', '/valutazioni/C2.10');
    expect(within(table).getByText('Mancano: fasi, date')).toBeInTheDocument();
    expect(within(table).getByText('Trattare con nuove misure')).toBeInTheDocument();
    expect(table.querySelector('caption')).toHaveTextContent('Registro dei rischi, ciclo 2026-2028. In ordine di mappa dei processi.');
    // the register is read whole, with the largest page and without the count over the whole register
    expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/register', expect.objectContaining({ query: { page: 1, page_size: 1000 } }));
  });

  it('links the RPCT to the review page', async () => {
    session = testSession('rpct');
    renderAt('/registro');
    const table = await screen.findByTestId('register-table');
    expect(within(table).getByRole('link', { name: /B1\.1 Concorsi/ })).toHaveAttribute('href', '/revisione/B1.1');
  });

  it('sorts by a header button, keeps the sort in the URL and announces it', async () => {
    const user = userEvent.setup();
    renderAt('/registro');
    await screen.findByTestId('register-table');
    const header = screen.getByRole('columnheader', { name: /Livello inerente/ });
    expect(header).toHaveAttribute('aria-sort', 'none');
    await user.click(within(header).getByRole('button', { name: /Livello inerente/ }));
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    expect(bodyCodes()).toEqual(['B1.1', 'C2.9', 'C2.10']);
    expect(location).toBe('?sort=inherent');
    await user.click(within(header).getByRole('button', { name: /Livello inerente/ }));
    expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(bodyCodes()).toEqual(['C2.10', 'C2.9', 'B1.1']);
    expect(location).toBe('?sort=inherent&dir=desc');
    expect(screen.getByTestId('register-table').querySelector('caption')).toHaveTextContent('Ordinato per livello inerente, decrescente.');
    await waitFor(() => expect(document.getElementById('announcer')).toHaveTextContent('Ordinato per livello inerente, decrescente'));
    // keyboard: Enter on the focused header button
    const action = screen.getByRole('button', { name: /^Azione/ });
    action.focus();
    await user.keyboard('{Enter}');
    expect(bodyCodes()).toEqual(['B1.1', 'C2.9', 'C2.10']);
  });

  it('reads filters and sort from a shared link', async () => {
    renderAt('/registro?unit=AD3&sort=action&dir=desc');
    await screen.findByTestId('register-table');
    expect(bodyCodes()).toEqual(['C2.10', 'C2.9']);
    expect(screen.getByTestId('register-count')).toHaveTextContent('2 rischi trovati su 3');
    expect(screen.getByRole('search', { name: 'Filtri del registro' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Unità organizzativa')).toHaveValue('AD3'));
  });

  it('writes the filters to the URL and filters as the user chooses', async () => {
    const user = userEvent.setup();
    renderAt('/registro?sort=action');
    await screen.findByTestId('register-table');
    await user.selectOptions(screen.getByLabelText('Stato della valutazione'), 'approved');
    expect(location).toBe('?state=approved&sort=action');
    expect(bodyCodes()).toEqual(['B1.1']);
    expect(screen.getByTestId('register-count')).toHaveTextContent('1 rischio trovato su 3');
    await user.type(screen.getByLabelText('Cerca'), 'ispezione{Enter}');
    await waitFor(() => expect(location).toBe('?q=ispezione&state=approved&sort=action'));
    expect(screen.getByText('Nessun rischio corrisponde ai filtri scelti.')).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Azzera i filtri' })[0]);
    expect(location).toBe('?sort=action');
    expect(screen.getByLabelText('Cerca')).toHaveValue('');
    expect(bodyCodes()).toHaveLength(3);
  });

  it('explains a heat-map cell it can only filter by level', async () => {
    renderAt('/registro?inherent_cell=3-3');
    await screen.findByTestId('register-table');
    const notice = screen.getByTestId('register-cell-notice');
    expect(notice).toHaveTextContent('probabilità 3, impatto 3');
    expect(notice).toHaveTextContent('livello della cella (alto)');
    expect(bodyCodes()).toEqual(['C2.10']);
  });

  it('downloads the exports through the authenticated client', async () => {
    const user = userEvent.setup();
    download.mockResolvedValue(undefined);
    renderAt('/registro');
    await screen.findByTestId('register-table');
    await user.click(screen.getByRole('button', { name: 'Registro (Excel)' }));
    expect(download).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/exports/:file', expect.objectContaining({ params: { cycle: '2026-2028', file: 'registro.xlsx' } }), '2026-2028_registro.xlsx');
    await act(async () => undefined);
    expect(screen.getByRole('button', { name: 'Allegato al piano (PDF accessibile)' })).toBeInTheDocument();
  });

  it('exports what is on screen: the register files carry the filters, the annex does not', async () => {
    const user = userEvent.setup();
    download.mockResolvedValue(undefined);
    renderAt('/registro?unit=AD3&level=alto');
    await screen.findByTestId('register-table');
    await user.click(screen.getByRole('button', { name: 'Registro (CSV per Excel, separato da punto e virgola)' }));
    const [, opts] = download.mock.calls.at(-1)!;
    expect(opts.params).toEqual({ cycle: '2026-2028', file: 'registro-excel.csv' });
    expect(opts.query).toMatchObject({ unit: 'AD3', level: 'alto' });
    await act(async () => undefined);
    await user.click(screen.getByRole('button', { name: 'Allegato al piano (ODT, modificabile)' }));
    expect(download.mock.calls.at(-1)![1].query).toEqual({});
  });

  it('reads a register larger than one page in order by cursor, then pages, jumps and filters in the browser', async () => {
    // 2,500 rows: three pages of the API. The fake server answers like the real one: page 1 or the rows after a
    // cursor, has_more and next_cursor (here the index of the next row, opaque to the page); a page number past
    // the first, a count or a cursor it did not hand out would be a mistake of the walk.
    const big = Array.from({ length: 2500 }, (_, i) => ({ ...rows[i % 3], risk_id: `x${i}`, node: `A${i}` }));
    const issued = new Set<string>();
    let resolveLast: () => void = () => undefined;
    const lastPageAsked = new Promise<void>((r) => (resolveLast = r));
    call.mockImplementation(async (op: string, opts: { query?: { page?: number; page_size?: number; cursor?: string; with_total?: boolean } }) => {
      if (!op.endsWith('/register')) return respond(op, opts);
      const q = opts.query ?? {};
      expect(q.with_total).toBeUndefined();
      expect(q.page_size).toBe(1000);
      let from = 0;
      if (q.cursor) {
        expect(issued.has(q.cursor)).toBe(true);
        expect(q.page).toBeUndefined();
        from = Number(q.cursor.slice('after-'.length));
      } else {
        expect(q.page).toBe(1);
      }
      const items = big.slice(from, from + 1000);
      const hasMore = from + 1000 < big.length;
      if (!hasMore) await lastPageAsked; // holds the last page back, to see the rows read so far
      const next = hasMore ? `after-${from + 1000}` : undefined;
      if (next) issued.add(next);
      return { items, has_more: hasMore, next_cursor: next, page: q.cursor ? 0 : 1, page_size: 1000 };
    });
    renderAt('/registro?size=100');
    expect(await screen.findByTestId('register-loading')).toHaveTextContent('2000 rischi letti finora');
    resolveLast();
    await screen.findByTestId('register-table');
    const registerCalls = call.mock.calls.filter(([op]) => op.endsWith('/register')).map(([, o]) => o.query);
    expect(registerCalls).toEqual([
      { page: 1, page_size: 1000 },
      { page_size: 1000, cursor: 'after-1000' },
      { page_size: 1000, cursor: 'after-2000' },
    ]);
    // every row once, in the server's order
    expect(screen.getByTestId('register-count')).toHaveTextContent('2500 rischi trovati');
    expect(bodyCodes()).toEqual(big.slice(0, 100).map((r) => r.node));
    const pager = screen.getByRole('navigation', { name: 'Pagine del registro' });
    expect(within(pager).getByText('Pagina 1 di 25')).toBeInTheDocument();
    expect(within(pager).getByRole('button', { name: 'Pagina 1' })).toHaveAttribute('aria-current', 'page');
    const user = userEvent.setup();
    await user.click(within(pager).getByRole('button', { name: 'Pagina successiva' }));
    expect(within(pager).getByText('Pagina 2 di 25')).toBeInTheDocument();
    expect(location).toBe('?size=100&page=2');
    expect(bodyCodes()[0]).toBe('A100');
    // a jump: the last page, by its number
    await user.click(within(pager).getByRole('button', { name: 'Pagina 25' }));
    expect(location).toBe('?size=100&page=25');
    expect(bodyCodes()).toEqual(big.slice(2400).map((r) => r.node));
    expect(within(pager).getByRole('button', { name: 'Pagina 25' })).toHaveAttribute('aria-current', 'page');
    expect(within(pager).getByRole('button', { name: 'Pagina successiva' })).toHaveAttribute('aria-disabled', 'true');
    // a filter goes back to page 1 and to the URL; the rows come from the register already read
    const before = call.mock.calls.length;
    await user.selectOptions(screen.getByLabelText('Stato della valutazione'), 'submitted');
    await waitFor(() => expect(location).toBe('?state=submitted&size=100'));
    expect(screen.getByTestId('register-count')).toHaveTextContent('833 rischi trovati su 2500');
    expect(bodyCodes()[0]).toBe('A1');
    expect(call.mock.calls.slice(before).filter(([op]) => op.endsWith('/register'))).toHaveLength(0);
    await user.click(within(screen.getByRole('navigation', { name: 'Pagine del registro' })).getByRole('button', { name: 'Pagina precedente' }));
    expect(screen.getByRole('button', { name: 'Pagina precedente' })).toHaveAttribute('aria-disabled', 'true');
  }, 120_000); // 2,500 rows rendered in jsdom: at a load average of 20 (a cold CI run beside other work) it took over 30 s

  it('fails loudly rather than loop when more rows are announced without a cursor', async () => {
    call.mockImplementation((op: string, opts: { query?: Record<string, unknown> }) =>
      op.endsWith('/register') ? Promise.resolve({ items: rows, has_more: true, page: 1, page_size: 1000 }) : respond(op, opts),
    );
    renderAt('/registro');
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(call.mock.calls.filter(([op]) => op.endsWith('/register'))).toHaveLength(1);
  });

  it('shows 50 rows a page by default, and prints every row', async () => {
    const big = Array.from({ length: 120 }, (_, i) => ({ ...rows[0], risk_id: `x${i}`, node: `A${i}` }));
    call.mockImplementation((op: string, opts: { query?: { page?: number } }) =>
      op.endsWith('/register') ? Promise.resolve({ items: big, total: big.length, page: 1, page_size: 1000 }) : respond(op, opts),
    );
    renderAt('/registro');
    await screen.findByTestId('register-table');
    expect(bodyCodes()).toHaveLength(50);
    expect(screen.getByText('Pagina 1 di 3')).toBeInTheDocument();
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
    });
    // rendered before the browser lays the sheets out, not on a later tick
    expect(bodyCodes()).toHaveLength(120);
    act(() => {
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(bodyCodes()).toHaveLength(50);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Righe per pagina'), 'all');
    expect(bodyCodes()).toHaveLength(120);
    expect(location).toBe('?size=all');
  });
});
