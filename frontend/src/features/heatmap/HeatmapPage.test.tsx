import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { methodology } from '../../test/methodology';
import { testSession } from '../../test/session';

const { call } = vi.hoisted(() => ({ call: vi.fn() }));
const session = testSession('rpct');
vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call, download: vi.fn() } }));
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useCycleCode: () => '2026-2028', useSession: () => session }));

import { clearCaches } from '../../lib/register/data';
import HeatmapPage from './HeatmapPage';

const axis = [
  { value: 1, label: 'Basso' },
  { value: 2, label: 'Medio' },
  { value: 3, label: 'Alto' },
];
const heat = {
  methodology: 'pna2019',
  likelihood_axis: axis,
  impact_axis: axis,
  inherent: [
    { likelihood: 3, impact: 3, count: 58 },
    { likelihood: 1, impact: 2, count: 1 },
  ],
  residual: [{ likelihood: 2, impact: 2, count: 44 }],
};

let location = { pathname: '', search: '' };
function Spy() {
  const l = useLocation();
  location = { pathname: l.pathname, search: l.search };
  return null;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/mappa-di-calore" element={<HeatmapPage />} />
        <Route path="/registro" element={<p>registro</p>} />
      </Routes>
      <Spy />
    </MemoryRouter>,
  );
}

describe('heat map page', () => {
  beforeEach(() => {
    clearCaches();
    call.mockReset();
    call.mockImplementation((op: string) => {
      if (op.endsWith('/heatmap')) return Promise.resolve(heat);
      if (op.endsWith('/methodology')) return Promise.resolve(methodology);
      if (op.endsWith('/process-map')) return Promise.resolve({ units: [{ code: 'AD1', title: 'Area 1' }], risk_areas: [], strategic_objectives: [], nodes: [] });
      if (op.endsWith('/measure-types')) return Promise.resolve({ items: [] });
      return Promise.reject(new Error(op));
    });
  });
  afterEach(cleanup);

  it('shows inherent and residual side by side as tables with headers, counts and levels as text', async () => {
    renderAt('/mappa-di-calore');
    const inherent = await screen.findByTestId('heatmap-inherent');
    const residual = screen.getByTestId('heatmap-residual');
    expect(within(inherent).getByText('Rischio inerente: numero di rischi per cella di probabilità e impatto')).toBeInTheDocument();
    expect(within(residual).getByText('Rischio residuo: numero di rischi per cella di probabilità e impatto')).toBeInTheDocument();
    expect(within(inherent).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Impatto 1, Basso', 'Impatto 2, Medio', 'Impatto 3, Alto']);
    expect(within(inherent).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['Probabilità 3, Alto', 'Probabilità 2, Medio', 'Probabilità 1, Basso']);
    const cell = within(inherent).getByRole('link', { name: '58 · Alto. Probabilità 3, impatto 3: 58 rischi, livello alto. Filtra il registro' });
    expect(cell).toHaveTextContent('58 · Alto');
    expect(cell.closest('td')).toHaveClass('level-alto');
    // empty cells: text, no link
    expect(within(inherent).getAllByRole('link')).toHaveLength(2);
    expect(within(inherent).getAllByText('0 · Medio').length).toBeGreaterThan(0);
    expect(within(residual).getByRole('link', { name: /Probabilità 2, impatto 2: 44 rischi, livello medio/ })).toBeInTheDocument();
    expect(screen.getByTestId('heatmap-source')).toHaveTextContent(/Fonte: registro dei rischi del ciclo 2026-2028\. Dati aggiornati al \d\d\/\d\d\/\d{4}/);
    expect(screen.getByRole('heading', { name: 'Legenda' })).toBeInTheDocument();
  });

  it('sends the filters of the URL to the API and carries them to the register', async () => {
    const user = userEvent.setup();
    renderAt('/mappa-di-calore?unit=AD1&state=draft');
    const inherent = await screen.findByTestId('heatmap-inherent');
    expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/heatmap', expect.objectContaining({ query: expect.objectContaining({ unit: 'AD1', state: 'draft' }) }));
    const link = within(inherent).getByRole('link', { name: /Probabilità 1, impatto 2/ });
    expect(link).toHaveAttribute('href', '/registro?unit=AD1&state=draft&inherent_cell=1-2');
    await user.click(link);
    expect(location).toEqual({ pathname: '/registro', search: '?unit=AD1&state=draft&inherent_cell=1-2' });
  });

  it('refetches when a filter changes, keeping it in the URL', async () => {
    const user = userEvent.setup();
    renderAt('/mappa-di-calore');
    await screen.findByTestId('heatmap-inherent');
    await waitFor(() => expect(screen.getByLabelText('Unità organizzativa')).toHaveTextContent('AD1 – Area 1'));
    await user.selectOptions(screen.getByLabelText('Unità organizzativa'), 'AD1');
    expect(location.search).toBe('?unit=AD1');
    await waitFor(() => expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/heatmap', expect.objectContaining({ query: expect.objectContaining({ unit: 'AD1' }) })));
  });

  it("filters by the process marker with the register's wording, sends it to the API and carries it to the register", async () => {
    const user = userEvent.setup();
    renderAt('/mappa-di-calore');
    await screen.findByTestId('heatmap-inherent');
    const marker = screen.getByLabelText('Marcatore del processo');
    expect(within(marker).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Tutti',
      '* – Servizio obbligatorio (DM 7 marzo 2019, allegato 1)',
      '** – Ambito prioritario di promozione (DM 7 marzo 2019, allegato 2)',
      'Senza marcatore',
    ]);
    await user.selectOptions(marker, '**');
    expect(location.search).toBe('?marker=**');
    await waitFor(() => expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/heatmap', expect.objectContaining({ query: expect.objectContaining({ marker: '**' }) })));
    const link = within(screen.getByTestId('heatmap-inherent')).getByRole('link', { name: /Probabilità 1, impatto 2/ });
    expect(link).toHaveAttribute('href', '/registro?inherent_cell=1-2&marker=**');
    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => v.id)).toEqual([]);
  });

  it('reads the marker from the URL', async () => {
    renderAt('/mappa-di-calore?marker=none');
    await screen.findByTestId('heatmap-inherent');
    expect(call).toHaveBeenCalledWith('GET /api/v1/cycles/:cycle/heatmap', expect.objectContaining({ query: expect.objectContaining({ marker: 'none' }) }));
    expect(screen.getByLabelText('Marcatore del processo')).toHaveValue('none');
  });
});
