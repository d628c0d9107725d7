import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CycleComparison as Comparison } from '../../api/schema.gen';

const { call } = vi.hoisted(() => ({ call: vi.fn() }));
vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call } }));

import { CycleComparison } from './CycleComparison';

const comparison: Comparison = {
  from: '2025-2027',
  to: '2026-2028',
  leaves: [{ code: 'A1.1.1.1', title: 'Relazione previsionale', from_level: 'alto', from_label: 'Alto', to_level: 'basso', to_label: 'Basso', change: 'fell' }],
  counts: { rose: 0, fell: 1, unchanged: 2, new_leaves: 0, removed_leaves: 0, measures_added: 1, measures_withdrawn: 1, measures_carried_over: 3 },
  measures: [{ leaf: 'A1.1.1.1', title: 'Nuovo regolamento delle verifiche', type: 'T04', unit: 'AD1', change: 'added' }],
  monitoring_from: { attuata: 4 },
  monitoring_to: {},
};

afterEach(() => {
  cleanup();
  call.mockReset();
});

describe('CycleComparison', () => {
  it('asks for the previous cycle by default and shows levels, measures and monitoring', async () => {
    call.mockResolvedValue(comparison);
    render(
      <>
        <CycleComparison cycle="2026-2028" />
        <div id="announcer" aria-live="polite" />
      </>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mostra il confronto' }));
    expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/comparison', { params: { cycle: '2026-2028' }, query: { with: undefined } });
    const leaves = await screen.findByRole('table', { name: 'Attività il cui livello di rischio è cambiato' });
    expect(within(leaves).getByText('In diminuzione')).toBeInTheDocument();
    expect(within(leaves).getByText('Alto')).toBeInTheDocument();
    const summary = screen.getByRole('table', { name: /Sintesi del confronto tra il ciclo 2025-2027 e il ciclo 2026-2028/ });
    expect(within(summary).getByRole('row', { name: /Misure riproposte 3/ })).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Attuata 4 0/ })).toBeInTheDocument();
    expect(screen.getByText('Nuovo regolamento delle verifiche')).toBeInTheDocument();
  });

  it('sends the chosen cycle and explains a missing previous cycle', async () => {
    const { ApiError } = await import('../../api/client');
    call.mockRejectedValue(new ApiError({ type: '', title: 'Not Found', status: 404, code: 'previous_cycle_not_found' }));
    render(<CycleComparison cycle="2026-2028" />);
    await userEvent.type(screen.getByLabelText('Ciclo di confronto'), '2024-2026');
    await userEvent.click(screen.getByRole('button', { name: 'Mostra il confronto' }));
    expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/comparison', { params: { cycle: '2026-2028' }, query: { with: '2024-2026' } });
    expect(await screen.findByRole('alert')).toHaveTextContent('non ha un ciclo precedente');
  });
});
