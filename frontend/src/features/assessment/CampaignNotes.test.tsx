import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { fakeApi } from '../../test/api';
import { DuplicateEventWarnings, HandOffPanel } from './CampaignNotes';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('campaign notes on the assessment', () => {
  it('warns about an event entered twice, naming both risks', () => {
    render(<DuplicateEventWarnings warnings={[{ field: 'risks[2].event_code', code: 'duplicate_event', message: 'the same risk event is already entered as risks[0]' }]} />);
    expect(screen.getByRole('note')).toHaveTextContent('Il rischio n. 3 ripete l\u2019evento del rischio n. 1'.replace('\u2019', "'"));
  });

  it('shows nothing without a repetition', () => {
    const { container } = render(<DuplicateEventWarnings warnings={[]} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('lets a referente hand the draft to the director, then take it back', async () => {
    const f = fakeApi({
      'POST /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off': () => ({ code: 'C1.1', handed_off: { by: 'u', by_name: 'Rita Referente', at: '2026-10-02T09:00:00Z' } }),
      'DELETE /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off': () => ({ code: 'C1.1' }),
    });
    vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
    render(
      <MemoryRouter>
        <HandOffPanel cycle="2026-2028" code="C1.1" assessment={{ version: 3, state: 'draft', lead_unit: 'AD2' }} canWrite canSubmit={false} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'Copia questa valutazione in altre azioni' })).toHaveAttribute('href', '/campagna?copia=C1.1');
    fireEvent.click(screen.getByRole('button', { name: 'Segna pronta per la firma del dirigente (AD2)' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Pronta per la firma: segnalata da Rita Referente');
    fireEvent.click(screen.getByRole('button', { name: 'Ritira la segnalazione' }));
    await vi.waitFor(() => expect(screen.queryByRole('status')).not.toBeInTheDocument());
    expect(f.calls.map((c) => c.op)).toEqual(['POST /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off', 'DELETE /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off']);
  });

  it('offers no hand-off to who submits it', () => {
    render(
      <MemoryRouter>
        <HandOffPanel cycle="2026-2028" code="C1.1" assessment={{ version: 3, state: 'draft', lead_unit: 'AD2' }} canWrite canSubmit />
      </MemoryRouter>,
    );
    expect(screen.queryByRole('button', { name: /pronta per la firma/ })).not.toBeInTheDocument();
  });
});
