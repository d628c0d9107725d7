import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditCell, ListTable } from './ListTable';

afterEach(cleanup);

describe('ListTable', () => {
  it('is a captioned stacking table with its column headings, its rows and the line under it', () => {
    render(
      <ListTable caption="Misure generali" columns={['Codice', 'Nome', false]} className="table-sm" testId="t" footer={<p>Nessuna misura.</p>}>
        <tr>
          <th scope="row">MG01</th>
          <td>Codice di comportamento</td>
        </tr>
      </ListTable>,
    );
    const table = screen.getByRole('table', { name: 'Misure generali' });
    expect(table).toBe(screen.getByTestId('t'));
    expect(table).toHaveClass('table', 'stack-table', 'table-sm');
    expect(table.parentElement).toHaveClass('table-responsive');
    // A column given as false is left out, not drawn as an empty heading.
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Codice', 'Nome']);
    expect(within(table).getByRole('rowheader', { name: 'MG01' }).closest('tr')).toHaveTextContent('Codice di comportamento');
    expect(screen.getByText('Nessuna misura.')).toBeInTheDocument();
  });

  it('has plain "table stack-table" classes when given no more', () => {
    render(
      <ListTable caption="Griglia" columns={['Codice']}>
        {null}
      </ListTable>,
    );
    expect(screen.getByRole('table', { name: 'Griglia' }).className).toBe('table stack-table');
    expect(screen.getByRole('table', { name: 'Griglia' }).parentElement!.className).toBe('table-responsive');
    expect(screen.getByText('Griglia')).not.toHaveClass('visually-hidden');
  });

  it('adds classes to the scrolling box around the table', () => {
    render(
      <ListTable caption="Eventi" columns={['Codice']} boxClassName="mt-3">
        {null}
      </ListTable>,
    );
    expect(screen.getByRole('table', { name: 'Eventi' }).parentElement!.className).toBe('table-responsive mt-3');
  });

  it('can keep its caption for screen readers only', () => {
    render(
      <ListTable caption="Fasi" hiddenCaption columns={['Fase']}>
        {null}
      </ListTable>,
    );
    expect(screen.getByRole('table', { name: 'Fasi' })).toBeInTheDocument();
    expect(screen.getByText('Fasi')).toHaveClass('visually-hidden');
  });
});

describe('EditCell', () => {
  it('names its button by the label and the row code, and calls back on click', async () => {
    const onClick = vi.fn();
    render(
      <table>
        <tbody>
          <tr>
            <EditCell label="Modifica" code="MG09" onClick={onClick} />
          </tr>
        </tbody>
      </table>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Modifica MG09' }));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('can be disabled', () => {
    render(
      <table>
        <tbody>
          <tr>
            <EditCell label="Modifica" code="MG09" onClick={() => undefined} disabled />
          </tr>
        </tbody>
      </table>,
    );
    expect(screen.getByRole('button', { name: 'Modifica MG09' })).toBeDisabled();
  });
});
