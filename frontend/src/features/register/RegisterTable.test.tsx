import { cleanup, render, screen, within } from '@testing-library/react';
import { fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { processStarts, RegisterTable, type Labels } from './RegisterTable';

const labels: Labels = {
  level: (c) => c ?? '',
  state: (c) => c ?? '',
  decision: (c) => c ?? '',
  missing: (codes) => codes.join(', '),
  noMeasures: 'nessuna',
  openTitle: (c) => `Apri ${c}`,
  completeness: (leaf) => ({ text: leaf.state === 'none' ? 'Non iniziata' : leaf.complete ? 'Completa' : `${leaf.missing_count} elementi mancanti` }),
};

afterEach(cleanup);

describe('register table', () => {
  // Below 576 px each row is a card: every data cell must name its column, as the header row does.
  it('labels every data cell with its column heading, for the stacked rows of narrow screens', () => {
    render(
      <MemoryRouter>
        <RegisterTable
          rows={[{ node: 'A1.1.1.1', node_title: 'Azione', event_description: 'Evento', units: ['SG'], risk_areas: ['B'], inherent_level: 'alto', residual_level: 'medio', decision: 'treat_new_measures', priority: 2, measures: 1, state: 'draft' }]}
          caption="Registro"
          sort=""
          dir="asc"
          onSort={() => undefined}
          hrefOf={() => '/valutazioni/A1.1.1.1'}
          labels={labels}
        />
      </MemoryRouter>,
    );
    const table = screen.getByTestId('register-table');
    const heads = within(table).getAllByRole('columnheader').map((th) => th.textContent?.replace(/[▲▼↕]/g, '').trim());
    const row = within(table).getAllByRole('row')[1];
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((td) => td.getAttribute('data-label'))).toEqual(heads.slice(1));
    expect(within(row).getByRole('rowheader')).toHaveTextContent('A1.1.1.1 Azione');
  });

  it("shows each leaf's completeness, as the campaign does", () => {
    const row = (node: string) => ({ node, node_title: 'Azione', event_description: 'Evento', units: ['SG'], state: 'draft' });
    render(
      <MemoryRouter>
        <RegisterTable
          rows={[row('A1'), row('A2'), row('A3')]}
          caption="Registro"
          sort=""
          dir="asc"
          onSort={() => undefined}
          hrefOf={() => '/'}
          labels={labels}
          leaves={
            new Map([
              ['A1', { code: 'A1', title: 'A', units: ['SG'], lead_unit: 'SG', state: 'draft', complete: false, missing_count: 3, excluded: false }],
              ['A2', { code: 'A2', title: 'A', units: ['SG'], lead_unit: 'SG', state: 'submitted', complete: true, missing_count: 0, excluded: false }],
            ])
          }
        />
      </MemoryRouter>,
    );
    expect(screen.getByRole('columnheader', { name: 'Completezza' })).toBeInTheDocument();
    const cells = screen.getAllByTestId('register-completeness').map((c) => c.textContent);
    expect(cells).toEqual(['3 elementi mancanti', 'Completa', '—']);
  });

  it('marks the first row of each process, for a printed sheet per process, only in map order', () => {
    const rows = ['B3.1.1.1', 'B3.1.1.1', 'B3.1.2.4', 'B3.2.1.1', 'C1.1.1.1'].map((node) => ({ node }));
    expect(processStarts(rows, true)).toEqual([false, false, false, true, true]);
    expect(processStarts(rows, false)).toEqual([false, false, false, false, false]);
    render(
      <MemoryRouter>
        <RegisterTable rows={rows} caption="Registro" sort="" dir="asc" onSort={() => undefined} hrefOf={() => '/'} labels={labels} />
      </MemoryRouter>,
    );
    const marked = [...screen.getByTestId('register-table').querySelectorAll('tbody tr.register-process-start')].map((tr) => tr.getAttribute('data-process'));
    expect(marked).toEqual(['B3.2', 'C1.1']);
  });

  // The rows' links are plain <a href> (no router component per row) that the table hands to the router.
  it("follows a row's link in the app, by click or Enter, and leaves modified clicks to the browser", async () => {
    function Where() {
      return <p data-testid="where">{useLocation().pathname}</p>;
    }
    const table = (
      <RegisterTable rows={[{ node: 'A1.1.1.1', node_title: 'Azione' }]} caption="Registro" sort="" dir="asc" onSort={() => undefined} hrefOf={(r) => `/valutazioni/${r.node}`} labels={labels} />
    );
    render(
      <MemoryRouter initialEntries={['/registro']}>
        <Routes>
          <Route path="/registro" element={table} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>,
    );
    const link = screen.getByRole('link', { name: 'A1.1.1.1 Azione' });
    expect(link).toHaveAttribute('href', '/valutazioni/A1.1.1.1');
    expect(link).toHaveAttribute('title', 'Apri A1.1.1.1');
    // a click with a modifier (a new tab or window) is the browser's: not prevented, the app stays
    expect(fireEvent.click(link, { ctrlKey: true })).toBe(true);
    expect(fireEvent.click(link, { button: 1 })).toBe(true);
    expect(screen.queryByTestId('where')).toBeNull();
    link.focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('where')).toHaveTextContent('/valutazioni/A1.1.1.1');
  });

  it('follows a link by a plain click', async () => {
    render(
      <MemoryRouter initialEntries={['/registro']}>
        <Routes>
          <Route path="/registro" element={<RegisterTable rows={[{ node: 'B1' }]} caption="Registro" sort="" dir="asc" onSort={() => undefined} hrefOf={() => '/valutazioni/B1'} labels={labels} />} />
          <Route path="/valutazioni/B1" element={<p>editor</p>} />
        </Routes>
      </MemoryRouter>,
    );
    await userEvent.click(screen.getByRole('link', { name: /B1/ }));
    expect(screen.getByText('editor')).toBeInTheDocument();
  });
});
