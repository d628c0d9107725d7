import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { RollForwardReview } from '../../api/schema.gen';
import { testCycle } from '../../test/session';
import { GranularitySection } from './GranularitySection';
import { RollForwardReviewSection } from './RollForwardReviewSection';

afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const review = (over: Partial<RollForwardReview>): RollForwardReview => ({
  id: 'r1',
  from_cycle: '2026-2028',
  node_code: 'A1.1.1.2',
  old_title: 'Attività di verifica',
  new_title: 'Controllo strategico',
  reason: 'title_changed',
  decision: '',
  target_code: '',
  suggestions: [
    { code: 'A1.1.1.3', title: 'Attività di verifica', similarity: 1 },
    { code: 'A1.1.1.2', title: 'Controllo strategico', similarity: 0.21 },
  ],
  ...over,
});

function serve(items: RollForwardReview[], post?: (body: unknown) => unknown) {
  const calls: Array<{ op: string; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body });
    if (op === 'GET /api/v1/cycles/:cycle/roll-forward/reviews') return { items };
    if (op === 'POST /api/v1/cycles/:cycle/roll-forward/reviews') {
      const r = post?.(opts.body);
      if (r instanceof Error) throw r;
      return { items: [] };
    }
    if (op === 'PUT /api/v1/cycles/:cycle/granularity') return { ...testCycle, granularity: 'process', version: 3 };
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

describe('roll-forward reviews', () => {
  it('shows nothing when the roll-forward left nothing to decide', async () => {
    const calls = serve([]);
    const { container } = render(<RollForwardReviewSection cycle={testCycle} />);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(container).toBeEmptyDOMElement();
  });

  it('sends the chosen decisions together: re-attach to the closest title, drop a gone code', async () => {
    const calls = serve([review({}), review({ id: 'r2', node_code: 'B2.1 BIS', old_title: 'Contratti PNRR', new_title: '', reason: 'code_missing', suggestions: [] })]);
    render(<RollForwardReviewSection cycle={testCycle} />);
    const user = userEvent.setup();
    const first = await screen.findByRole('group', { name: 'A1.1.1.2 · Attività di verifica' });
    expect(within(first).getByText('Nella nuova mappa il codice A1.1.1.2 ha il titolo «Controllo strategico».')).toBeInTheDocument();
    const gone = screen.getByRole('group', { name: 'B2.1 BIS · Contratti PNRR' });
    // A code that is gone cannot be confirmed.
    expect(within(gone).queryByRole('radio', { name: /Conferma/ })).toBeNull();
    await user.click(within(first).getByRole('radio', { name: 'Riattacca a un\'altra azione' }));
    await user.click(screen.getByRole('button', { name: 'Applica le decisioni' }));
    expect(within(first).getByRole('combobox', { name: /Azione con il titolo più simile/ })).toHaveAccessibleDescription(/Campo obbligatorio/);
    expect(calls.some((c) => c.op.startsWith('POST'))).toBe(false);
    await user.selectOptions(within(first).getByRole('combobox', { name: /Azione con il titolo più simile/ }), 'A1.1.1.3');
    await user.click(within(gone).getByRole('radio', { name: 'Non riportare questa valutazione' }));
    await user.click(screen.getByRole('button', { name: 'Applica le decisioni' }));
    await waitFor(() =>
      expect(calls.find((c) => c.op.startsWith('POST'))?.body).toEqual({
        decisions: [
          { id: 'r1', decision: 'reattach', target: 'A1.1.1.3' },
          { id: 'r2', decision: 'drop' },
        ],
      }),
    );
    expect(await screen.findByText('2 decisioni applicate.')).toBeInTheDocument();
  });

  it('puts the server\'s field error on the review it names', async () => {
    serve([review({})], () => new ApiError({ type: 'about:blank', code: 'decisions_invalid', title: 'x', status: 422, errors: [{ field: 'decisions[0].target', code: 'leaf_not_free', message: 'x' }] }));
    render(<RollForwardReviewSection cycle={testCycle} />);
    const user = userEvent.setup();
    const first = await screen.findByRole('group', { name: 'A1.1.1.2 · Attività di verifica' });
    await user.click(within(first).getByRole('radio', { name: 'Riattacca a un\'altra azione' }));
    await user.type(within(first).getByRole('textbox', { name: 'Oppure un altro codice' }), 'A1.1.1.1');
    await user.click(screen.getByRole('button', { name: 'Applica le decisioni' }));
    expect(await within(first).findByText("Non è un'azione della nuova mappa ancora senza valutazione.")).toBeInTheDocument();
  });

  it('has no accessibility violations axe can see in the DOM', async () => {
    serve([review({}), review({ id: 'r3', node_code: 'C1', decision: 'reattach', target_code: 'C2', suggestions: [] })]);
    render(
      <main>
        <GranularitySection cycle={testCycle} onChanged={async () => undefined} />
        <RollForwardReviewSection cycle={testCycle} />
      </main>,
    );
    const user = userEvent.setup();
    const first = await screen.findByRole('group', { name: 'A1.1.1.2 · Attività di verifica' });
    await user.click(within(first).getByRole('radio', { name: 'Riattacca a un\'altra azione' }));
    expect(screen.getByRole('cell', { name: 'Riattaccata a C2' })).toBeInTheDocument();
    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

describe('assessed level', () => {
  it('sends the chosen level with the cycle version', async () => {
    const calls = serve([]);
    const changed = vi.fn(async () => undefined);
    render(<GranularitySection cycle={testCycle} onChanged={changed} />);
    const user = userEvent.setup();
    expect(screen.getByText('Livello attuale: Le azioni (ultimo livello della mappa).')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Salva il livello di valutazione' })).toBeDisabled();
    await user.click(screen.getByRole('radio', { name: 'I processi' }));
    await user.click(screen.getByRole('button', { name: 'Salva il livello di valutazione' }));
    await waitFor(() => expect(calls.find((c) => c.op.startsWith('PUT'))?.body).toEqual({ granularity: 'process', version: 2 }));
    expect(changed).toHaveBeenCalled();
  });
});
