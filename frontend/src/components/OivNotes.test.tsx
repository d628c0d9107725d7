import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import type { Session } from '../auth/session';
import { testSession } from '../test/session';
import { OivNotes, type OivNote } from './OivNotes';

let session: Session;
vi.mock('../auth/session', async (orig) => ({ ...(await orig<typeof import('../auth/session')>()), useSession: () => session }));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const note: OivNote = { id: 'n1', target_kind: 'node', target: 'B2.1.2.3', body: 'Motivazioni poco circostanziate', author_name: 'oiv', author_full_name: 'Anna Bianchi', created_at: '2026-11-20T10:00:00Z' };

function serve() {
  const calls: Array<{ op: string; query?: unknown; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, o = {}) => {
    calls.push({ op, query: o.query, body: o.body });
    if (op === 'GET /api/v1/cycles/:cycle/oiv-notes') return { items: [note] };
    if (op === 'POST /api/v1/cycles/:cycle/oiv-notes') return { ...note, id: 'n2', body: (o.body as { body: string }).body };
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

describe('OIV notes beside their target', () => {
  it('shows the RPCT the count and the notes of the leaf, by full name, without a form', async () => {
    session = testSession('rpct');
    const calls = serve();
    render(<OivNotes cycle="2026-2028" kind="node" target="B2.1.2.3" label="la valutazione dell'azione B2.1.2.3" />);
    await waitFor(() => expect(screen.getByTestId('oiv-notes-count')).toHaveTextContent('1'));
    expect(calls[0].query).toEqual({ target_kind: 'node', target: 'B2.1.2.3' });
    await userEvent.click(screen.getByRole('button', { name: /Rilievi dell'OIV/ }));
    expect(screen.getByTestId('oiv-notes-list')).toHaveTextContent('Anna Bianchi');
    expect(screen.getByTestId('oiv-notes-list')).toHaveTextContent('Motivazioni poco circostanziate');
    expect(screen.queryByTestId('oiv-note-form')).toBeNull();
  });

  it('lets the OIV write a note right there, for that measure', async () => {
    session = testSession('oiv');
    const calls = serve();
    render(<OivNotes cycle="2026-2028" kind="measure" target="m-1" label="la misura «Rotazione»" />);
    await userEvent.click(await screen.findByRole('button', { name: /Rilievi dell'OIV/ }));
    const form = screen.getByTestId('oiv-note-form');
    await userEvent.click(within(form).getByRole('button', { name: 'Registra il rilievo' }));
    expect(within(form).getByLabelText(/^Nuovo rilievo/)).toHaveAccessibleDescription(expect.stringContaining('Scrivi il testo del rilievo.'));
    await userEvent.type(within(form).getByLabelText(/^Nuovo rilievo/), 'Indicatore non misurabile');
    await userEvent.click(within(form).getByRole('button', { name: 'Registra il rilievo' }));
    await waitFor(() => expect(screen.getByTestId('oiv-notes-count')).toHaveTextContent('2'));
    expect(calls.find((c) => c.op.startsWith('POST'))?.body).toEqual({ target_kind: 'measure', target: 'm-1', body: 'Indicatore non misurabile' });
  });

  it('shows nothing to who may not read the notes', () => {
    session = testSession('director');
    const calls = serve();
    const { container } = render(<OivNotes cycle="2026-2028" kind="node" target="B2.1.2.3" label="x" />);
    expect(container).toBeEmptyDOMElement();
    expect(calls).toEqual([]);
  });
});
