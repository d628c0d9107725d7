import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { EnteProfile, Profile } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { pna2019 } from '../../test/methodology';
import { testSession } from '../../test/session';
import MethodologyPage from './MethodologyPage';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const shipped = pna2019 as unknown as Profile;
const version = (v: number, over: Partial<EnteProfile> = {}): EnteProfile => ({
  code: 'ente-4',
  version: v,
  revision: 1,
  latest: v === 2,
  used_by: v === 1 ? ['2026-2028'] : [],
  immutable: v === 1,
  profile: { ...shipped, code: 'ente-4', name: 'Metodologia dell’ente', profile_version: v },
  ...over,
});

type Handler = (op: string, opts: { body?: unknown; params?: Record<string, string> }) => unknown;
function serve(extra: Handler = () => undefined) {
  const calls: Array<{ op: string; body?: unknown }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
    calls.push({ op, body: opts.body });
    const r = extra(op, opts as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/methodology/ente-profiles':
        return { items: [version(1), version(2)] };
      case 'GET /api/v1/methodology/profiles':
        return { items: [shipped, { ...version(2).profile }] };
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

const renderPage = () =>
  render(
    <MemoryRouter>
      <MethodologyPage />
    </MemoryRouter>,
  );

describe('ente methodology profiles', () => {
  it('lists each version with the cycles that use it; the OIV reads without editing', async () => {
    session = testSession('oiv');
    serve();
    renderPage();
    const section = await screen.findByTestId('ente-profile-ente-4');
    const rows = within(section).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('12026-2028In uso: non modificabile');
    expect(rows[2]).toHaveTextContent('2Nessun cicloModificabile');
    expect(screen.queryByRole('button', { name: /Modifica/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Inizia' })).toBeNull();
  });

  it('starts a profile from a shipped one, previews it on examples and puts the server’s problems on the matrix cell', async () => {
    session = testSession('rpct');
    const calls = serve((op) => {
      if (op === 'POST /api/v1/methodology/preview') return { items: [{ score: { level: 'basso', likelihood: 1, impact: 1 } }, { score: { level: 'medio', likelihood: 2, impact: 2 } }, { problems: [{ field: 'values.KRI-1', code: 'value_out_of_scale' }] }] };
      if (op === 'POST /api/v1/methodology/ente-profiles')
        return new ApiError({ type: 't', title: 'x', status: 422, code: 'profile_invalid', errors: [{ field: 'matrix[2][2]', code: 'matrix_not_monotone', message: 'm' }] });
      return undefined;
    });
    renderPage();
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Codice' }), 'ente-nuovo');
    await user.click(screen.getByRole('button', { name: 'Inizia' }));
    expect(await screen.findByRole('heading', { name: 'Nuovo profilo dell\'ente' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Calcola l\'anteprima' }));
    expect(await screen.findByTestId('preview-result-0')).toHaveTextContent('Basso (probabilità 1, impatto 1)');
    expect(screen.getByTestId('preview-result-1')).toHaveTextContent('Medio (probabilità 2, impatto 2)');
    expect(screen.getByTestId('preview-result-2')).toHaveTextContent('Valori non validi per il profilo');
    const preview = calls.find((c) => c.op === 'POST /api/v1/methodology/preview')?.body as { examples: Array<{ values: Record<string, number> }> };
    expect(preview.examples[2].values).toEqual({ 'KRI-1': 3, 'KRI-2': 3, 'IMP-1': 3 });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Livello con probabilità Alto e impatto Alto' }), 'basso');
    expect(screen.getByTestId('matrix-warning')).toHaveTextContent('Una cella dà un livello più basso');
    await user.click(screen.getByRole('button', { name: 'Salva il profilo' }));
    const cell = screen.getByRole('combobox', { name: 'Livello con probabilità Alto e impatto Alto' });
    expect(await screen.findByText('Il livello scende mentre probabilità o impatto crescono.')).toBeInTheDocument();
    expect(cell).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('profile-problems')).toHaveTextContent('matrix[2][2]: Il livello scende mentre probabilità o impatto crescono.');
    const sent = calls.find((c) => c.op === 'POST /api/v1/methodology/ente-profiles')?.body as { profile: { code: string; matrix: string[][]; bands?: unknown } };
    expect(sent.profile.code).toBe('ente-nuovo');
    expect(sent.profile.matrix[2][2]).toBe('basso');
    expect(sent.profile.bands).toBeUndefined();

    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }, 120_000); // a long form and an axe pass: slow on a loaded machine, not a timing check

  it('edits the latest version: a used one is saved as the next version', async () => {
    session = testSession('rpct');
    const calls = serve((op) => (op === 'PUT /api/v1/methodology/ente-profiles/:code' ? { ...version(2, { version: 3 }), new_version: true } : undefined));
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Modifica ente-4 (versione 2)' }));
    const name = screen.getByRole('textbox', { name: 'Nome' });
    await user.clear(name);
    await user.type(name, 'Metodologia rivista');
    await user.click(screen.getByRole('button', { name: 'Salva il profilo' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Creata la versione 3 del profilo.');
    const put = calls.find((c) => c.op === 'PUT /api/v1/methodology/ente-profiles/:code')?.body as { version: number; revision: number; profile: { name: string } };
    expect(put).toMatchObject({ version: 2, revision: 1, profile: { name: 'Metodologia rivista' } });
  });
});
