import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { ProcessDescription } from './ProcessDescription';

afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const empty = { node: 'C1.1', input: '', output: '', phases: '', responsibilities: '', timing: '', constraints: '', version: 0 };

describe('process description', () => {
  it('is read by register readers, without an edit button', async () => {
    vi.spyOn(api, 'call').mockResolvedValue({ ...empty, input: 'Istanze telematiche', version: 2 });
    render(<ProcessDescription cycle="2026-2028" code="C1.1" canEdit={false} />);
    expect(await screen.findByText('Istanze telematiche')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Modifica la descrizione' })).toBeNull();
  });

  it('is written by the RPCT at the version read', async () => {
    const calls: Array<{ op: string; body?: unknown }> = [];
    vi.spyOn(api, 'call').mockImplementation(async (op, o = {}) => {
      calls.push({ op, body: o.body });
      return op.startsWith('PUT') ? { ...empty, ...(o.body as object), version: 1 } : empty;
    });
    render(<ProcessDescription cycle="2026-2028" code="C1.1" canEdit />);
    expect(await screen.findByText('Descrizione non ancora compilata.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Modifica la descrizione' }));
    await userEvent.type(screen.getByLabelText('Output (risultato atteso)'), 'Iscrizioni nel registro');
    await userEvent.click(screen.getByRole('button', { name: 'Salva la descrizione' }));
    await waitFor(() => expect(screen.getByText('Iscrizioni nel registro')).toBeInTheDocument());
    expect(calls.find((c) => c.op === 'PUT /api/v1/cycles/:cycle/nodes/:code/description')?.body).toMatchObject({ output: 'Iscrizioni nel registro', version: 0 });
  });
});
