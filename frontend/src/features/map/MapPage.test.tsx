import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TreeNode } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';

const { call } = vi.hoisted(() => ({ call: vi.fn() }));
let session: Session;
vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call, download: vi.fn() } }));
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useCycleCode: () => '2026-2028', useSession: () => session }));

import { clearCaches } from '../../lib/register/data';
import MapPage from './MapPage';

function n(code: string, title: string, p: Partial<TreeNode> = {}, children: TreeNode[] = []): TreeNode {
  const level = (['macro', 'process', 'subprocess', 'action'] as const)[code.split('.').length - 1];
  return { level, code, title, function: 'Funzione', units: [], strategic_objectives: [], risk_areas: [], marker: '', note: '', is_leaf: children.length === 0, children, ...p };
}

const nodes = [
  n('C1', 'Semplificazione', { risk_level: 'alto' }, [
    n('C1.1', 'Registro imprese', { units: ['AD2'], risk_areas: ['C'], risk_level: 'alto' }, [
      n('C1.1.1', 'Iscrizioni', { units: ['AD2'], risk_areas: ['C'], risk_level: 'alto' }),
      n('C1.1.2', 'Cancellazioni', { units: ['AD2'], risk_areas: ['C'] }),
    ]),
  ]),
  n('B1', 'Risorse umane', {}, [n('B1.1', 'Concorsi', { units: ['AD1'], risk_areas: ['A'] })]),
];

let location = '';
function Spy() {
  location = useLocation().search;
  return null;
}

function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/mappa" element={<MapPage />} />
      </Routes>
      <Spy />
      <div id="announcer" />
    </MemoryRouter>,
  );
}

describe('process-map browser', () => {
  beforeEach(() => {
    clearCaches();
    session = testSession('rpct');
    call.mockReset();
    call.mockImplementation((op: string, opts: { params?: { code?: string } }) => {
      if (op.endsWith('/process-map'))
        return Promise.resolve({ nodes, counts: { macro: 2, process: 2, subprocess: 2, action: 0, leaves: 3 }, units: [{ code: 'AD2', title: 'Area 2' }], risk_areas: [{ code: 'C', title: 'Provvedimenti' }], strategic_objectives: [] });
      if (op.endsWith('/register'))
        return Promise.resolve({ items: [{ node: 'C1.1.1', state: 'submitted', inherent_level: 'alto' }, { node: 'C1.1.1', state: 'submitted', inherent_level: 'medio' }], total: 2, page: 1, page_size: 1000 });
      if (op.endsWith('/methodology')) return Promise.resolve({ profile: {} });
      if (op.endsWith('/nodes/:code')) {
        const code = opts.params?.code;
        return Promise.resolve({ node: { ...n(code!, 'Iscrizioni', { units: ['AD2'], risk_areas: ['C'], marker: '*', note: 'Nota di prova' }), is_leaf: true }, ancestors: [n('C1', 'Semplificazione'), n('C1.1', 'Registro imprese')], children: [] });
      }
      return Promise.reject(new Error(op));
    });
  });
  afterEach(cleanup);

  it('opens and closes branches with disclosure buttons', async () => {
    const user = userEvent.setup();
    renderAt('/mappa');
    const tree = await screen.findByTestId('process-tree');
    expect(tree).toHaveAccessibleName('Mappa dei processi del ciclo 2026-2028');
    const toggle = within(tree).getByRole('button', { name: 'Sottolivelli di C1' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(within(tree).queryByRole('link', { name: /C1\.1 Registro imprese/ })).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(document.getElementById(toggle.getAttribute('aria-controls')!)).toBeInTheDocument();
    // keyboard
    const inner = within(tree).getByRole('button', { name: 'Sottolivelli di C1.1' });
    inner.focus();
    await user.keyboard('{Enter}');
    expect(inner).toHaveAttribute('aria-expanded', 'true');
    // leaves show the state of their assessment from the register, or that nothing was assessed
    const leaf = within(tree).getByRole('link', { name: /C1\.1\.1 Iscrizioni/ }).closest('li')!;
    await waitFor(() => expect(leaf).toHaveTextContent('Inviata'));
    expect(leaf).toHaveTextContent('Rischio alto');
    expect(within(tree).getByRole('link', { name: /C1\.1\.2 Cancellazioni/ }).closest('li')).toHaveTextContent('Nessun rischio valutato');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    // the register is read once for all leaves
    expect(call.mock.calls.filter(([op]) => op.endsWith('/register'))).toHaveLength(1);
  });

  it('filters from the URL, opening the path to every match', async () => {
    renderAt('/mappa?q=cancellazioni');
    const tree = await screen.findByTestId('process-tree');
    expect(screen.getByTestId('map-count')).toHaveTextContent('1 voce corrisponde ai filtri');
    expect(within(tree).getByRole('link', { name: /C1\.1\.2 Cancellazioni/ })).toBeInTheDocument();
    expect(within(tree).queryByRole('link', { name: /C1\.1\.1 Iscrizioni/ })).toBeNull();
    expect(within(tree).queryByRole('link', { name: /B1 Risorse/ })).toBeNull();
    expect(within(tree).getByRole('button', { name: 'Sottolivelli di C1' })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByLabelText('Cerca')).toHaveValue('cancellazioni');
  });

  it('keeps a chosen filter in the URL', async () => {
    const user = userEvent.setup();
    renderAt('/mappa');
    await screen.findByTestId('process-tree');
    await user.selectOptions(screen.getByLabelText('Unità organizzativa'), 'AD2');
    expect(location).toBe('?unit=AD2');
    expect(screen.getByTestId('map-count')).toHaveTextContent('3 voci corrispondono ai filtri');
  });

  it('shows the detail of the selected node, with the titles of its codes and the link to the assessment', async () => {
    const user = userEvent.setup();
    renderAt('/mappa?unit=AD2');
    const tree = await screen.findByTestId('process-tree');
    await user.click(within(tree).getByRole('link', { name: /C1\.1\.1 Iscrizioni/ }));
    expect(location).toBe('?unit=AD2&node=C1.1.1');
    const panel = await screen.findByTestId('node-detail');
    await waitFor(() => expect(within(panel).getByRole('heading', { level: 3 })).toHaveTextContent('C1.1.1 Iscrizioni'));
    expect(panel).toHaveTextContent('AD2 – Area 2');
    expect(panel).toHaveTextContent('C – Provvedimenti');
    expect(panel).toHaveTextContent('* – Servizio obbligatorio (DM 7 marzo 2019, allegato 1)');
    expect(panel).toHaveTextContent('Nota di prova');
    expect(within(panel).getByRole('link', { name: 'Apri la valutazione' })).toHaveAttribute('href', '/valutazioni/C1.1.1');
    await waitFor(() => expect(within(panel).getByRole('link', { name: 'Vedi i rischi nel registro' })).toHaveAttribute('href', '/registro?node=C1.1.1'));
    expect(within(tree).getByRole('link', { name: /C1\.1\.1 Iscrizioni/ })).toHaveAttribute('aria-current', 'true');
    await user.click(within(panel).getByRole('link', { name: 'Chiudi il dettaglio' }));
    expect(location).toBe('?unit=AD2');
  });

  it('shows no assessment data to who may not read the register', async () => {
    session = testSession('admin'); // admin sees no register content
    renderAt('/mappa?q=iscrizioni');
    const tree = await screen.findByTestId('process-tree');
    expect(tree).not.toHaveTextContent('Rischio alto');
    expect(call.mock.calls.some(([op]) => op.endsWith('/register'))).toBe(false);
  });
});
