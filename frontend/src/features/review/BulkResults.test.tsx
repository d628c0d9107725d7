import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { BulkResults } from './BulkResults';
import type { BulkResult } from './reviewApi';

const titles = new Map([
  ['C2.2.1', 'Iscrizioni al registro'],
  ['C2.2.2', 'Cancellazioni'],
  ['C2.2.3', 'Depositi'],
]);

function rowOf(code: string) {
  return screen.getByRole('rowheader', { name: code }).closest('tr') as HTMLElement;
}

afterEach(cleanup);

describe('bulk results', () => {
  it('shows one row per leaf, with the new state or the Italian reason of the failure', () => {
    const result: BulkResult = {
      results: [
        { node: 'C2.2.1', ok: true, state: 'approved', version: 4 },
        { node: 'C2.2.2', ok: false, code: 'four_eyes', error: 'you submitted this assessment' },
        { node: 'C2.2.3', ok: false, code: 'transition_not_allowed', state: 'draft' },
      ],
      succeeded: 1,
      failed: 2,
      rolled_back: false,
    };
    render(
      <MemoryRouter>
        <BulkResults result={result} action="approve" titles={titles} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { name: "Esito dell'approvazione" })).toHaveFocus();
    expect(screen.getByText('Riuscite: 1. Non riuscite: 2.')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Esito per valutazione' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(within(rowOf('C2.2.1')).getByText('Riuscita')).toBeInTheDocument();
    expect(within(rowOf('C2.2.1')).getByText('Approvata')).toBeInTheDocument();
    expect(within(rowOf('C2.2.1')).getByText('Iscrizioni al registro')).toBeInTheDocument();
    expect(within(rowOf('C2.2.2')).getByText('Non riuscita')).toBeInTheDocument();
    expect(within(rowOf('C2.2.2')).getByText(/Chi ha inviato la valutazione non può approvarla/)).toBeInTheDocument();
    expect(within(rowOf('C2.2.3')).getByText(/non è consentita nello stato attuale/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'C2.2.2' })).toHaveAttribute('href', '/revisione/C2.2.2');
    expect(screen.queryByText(/Nessuna valutazione è stata modificata/)).not.toBeInTheDocument();
  });

  it('says that nothing changed when all-or-nothing rolled the batch back', () => {
    const result: BulkResult = {
      results: [
        { node: 'C2.2.1', ok: false, code: 'rolled_back', state: 'returned' },
        { node: 'C2.2.2', ok: false, code: 'comment_required' },
      ],
      succeeded: 0,
      failed: 2,
      rolled_back: true,
    };
    render(
      <MemoryRouter>
        <BulkResults result={result} action="return" titles={titles} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { name: 'Esito del rinvio' })).toBeInTheDocument();
    expect(screen.getByText(/Nessuna valutazione è stata modificata/)).toBeInTheDocument();
    expect(within(rowOf('C2.2.1')).getByText(/Annullata perché un'altra operazione non è riuscita/)).toBeInTheDocument();
    expect(within(rowOf('C2.2.2')).getByText('Scrivi un commento (almeno 10 caratteri).')).toBeInTheDocument();
  });

  it('falls back to a generic Italian message for an unknown code', () => {
    const result: BulkResult = { results: [{ node: 'C2.2.1', ok: false, code: 'something_new' }], succeeded: 0, failed: 1, rolled_back: false };
    render(
      <MemoryRouter>
        <BulkResults result={result} action="approve" titles={titles} />
      </MemoryRouter>,
    );
    expect(within(rowOf('C2.2.1')).getByText('Si è verificato un errore. Riprova tra qualche istante.')).toBeInTheDocument();
  });
});
