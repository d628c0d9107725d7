import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { RegisterTable, type Labels } from './RegisterTable';

const labels: Labels = {
  level: (c) => c ?? '',
  state: (c) => c ?? '',
  decision: (c) => c ?? '',
  missing: (codes) => codes.join(', '),
  noMeasures: 'nessuna',
  openTitle: (c) => `Apri ${c}`,
};

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
});
