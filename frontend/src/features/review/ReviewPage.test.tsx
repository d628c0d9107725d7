import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api } from '../../api/client';
import type { Assessment } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import ReviewPage from './ReviewPage';
import { fakeApi, type Route as ApiRoute } from '../../test/api';
import { testSession } from '../../test/session';


const h = vi.hoisted(() => ({ session: null as unknown as Session }));
vi.mock('../../auth/session', async (orig) => ({
  ...(await orig<typeof import('../../auth/session')>()),
  useSession: () => h.session,
  useCycleCode: () => '2026-2028',
}));

const risk = (context: string): Assessment['risks'][number] => ({
  event_code: 'ER-B-01',
  event_description: 'Il funzionario favorisce un operatore economico',
  context,
  enabling_factors: ['FA-a'],
  inherent: { values: [{ code: 'KRI-1', value: 3, reason: 'Interessi economici rilevanti' }], reason: 'Giudizio complessivo motivato' },
  inherent_score: { level: 'alto', likelihood_label: 'Alto', impact_label: 'Medio' },
  decision: 'treat_new_measures',
  priority: 1,
  measures: ['m1'],
  residual: null,
});

const assessment: Assessment = {
  node: 'C2.2.1',
  cycle: '2026-2028',
  state: 'submitted',
  version: 5,
  level: 'alto',
  risks: [risk('Contesto riscritto dopo il rinvio')],
  measures: [{ id: 'm1', key: 'm1', nature: 'specific', type: 'T01', title: 'Controllo a campione', unit: 'AD2', phases: [{ title: 'Avvio', deadline: '2026-04-30' }], indicators: [], status: 'new' }],
};

const previous = { ...assessment, risks: [risk('Contesto generico')] };

function routes(over: Record<string, ApiRoute> = {}): Record<string, ApiRoute> {
  return {
    'GET /api/v1/cycles/:cycle/nodes/:code/assessment': () => structuredClone(assessment),
    'GET /api/v1/cycles/:cycle/nodes/:code': () => ({
      node: { code: 'C2.2.1', title: 'Iscrizioni al registro', units: ['AD2'], level: 'action', is_leaf: true },
      ancestors: [{ code: 'C2', title: 'Registro imprese' }],
      children: [],
    }),
    'GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments': () => ({
      items: [{ id: 'c1', kind: 'return', author_name: 'rpct', body: 'Il contesto è troppo generico.', created_at: '2026-11-20T10:00:00Z' }],
    }),
    'GET /api/v1/cycles/:cycle/methodology': () => ({
      profile: {
        likelihood_indicators: [{ code: 'KRI-1', name: 'Livello di interesse esterno', levels: [{ value: 1, label: 'Basso' }, { value: 3, label: 'Alto' }] }],
        impact_indicators: [],
        risk_levels: [],
      },
    }),
    'GET /api/v1/catalogue/enabling-factors': () => ({ items: [{ code: 'FA-a', description: 'mancanza di controlli' }] }),
    'GET /api/v1/catalogue/measure-types': () => ({ items: [{ code: 'T01', name: 'controllo' }] }),
    'GET /api/v1/catalogue/general-measures': () => ({ items: [] }),
    'GET /api/v1/audit': ({ query }) => {
      if (query?.action === 'submit')
        return {
          total: 2,
          items: [
            { at: '2026-11-25T09:00:00.000000Z', actor_id: 'dir-id', actor_name: 'dir2', action: 'submit' },
            { at: '2026-11-19T09:00:00.000000Z', actor_id: 'dir-id', actor_name: 'dir2', action: 'submit' },
          ],
        };
      return { total: 1, items: [{ action: 'save', after: JSON.stringify(previous) }] };
    },
    ...over,
  };
}

function Queue() {
  const loc = useLocation();
  return <p>Coda: {(loc.state as { flash?: string } | null)?.flash}</p>;
}

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/revisione/C2.2.1']}>
      <Routes>
        <Route path="/revisione/:code" element={<ReviewPage />} />
        <Route path="/revisione" element={<Queue />} />
      </Routes>
    </MemoryRouter>,
  );
}

let fake: ReturnType<typeof fakeApi>;
function useApiFake(r: Record<string, ApiRoute>) {
  fake = fakeApi(r);
  vi.spyOn(api, 'call').mockImplementation(fake.impl as typeof api.call);
}

beforeEach(() => {
  h.session = testSession('rpct');
  useApiFake(routes());
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('review page', () => {
  it('shows the submitted content, the changes since the previous submission and the thread', async () => {
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'C2.2.1 – Iscrizioni al registro' })).toBeInTheDocument();
    const changes = screen.getByRole('table', { name: /^Modificato: ER-B-01/ });
    const row = within(changes).getByRole('rowheader', { name: 'Contesto' }).closest('tr') as HTMLElement;
    expect(within(row).getByText('Contesto generico')).toBeInTheDocument();
    expect(within(row).getByText('Contesto riscritto dopo il rinvio')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Rischio 1: indicatori del rischio inerente' })).toHaveTextContent('Alto (3)');
    expect(screen.getByText('Il contesto è troppo generico.')).toBeInTheDocument();
    expect(screen.getByText('Rinvio con osservazioni')).toBeInTheDocument();
    expect(screen.getByText(/il .* da dir2/)).toBeInTheDocument();
  });

  it('compares with the content the previous submission recorded, since saves record only their changes', async () => {
    const asked: unknown[] = [];
    useApiFake(
      routes({
        'GET /api/v1/audit': ({ query }) => {
          asked.push(query);
          if (query?.action === 'submit')
            return {
              total: 2,
              items: [
                { at: '2026-11-25T09:00:00.000000Z', actor_id: 'dir-id', actor_name: 'dir2', action: 'submit', after: JSON.stringify({ state: 'submitted', version: 6, content: assessment }) },
                { at: '2026-11-19T09:00:00.000000Z', actor_id: 'dir-id', actor_name: 'dir2', action: 'submit', after: JSON.stringify({ state: 'submitted', version: 3, content: previous }) },
              ],
            };
          // A save's compact record is no content: were it read as one, every risk would show as new.
          return { total: 1, items: [{ action: 'save', after: JSON.stringify({ state: 'draft', version: 5, level: 'alto', changes: { risks: {}, measures: {} } }) }] };
        },
      }),
    );
    renderPage();
    const changes = await screen.findByRole('table', { name: /^Modificato: ER-B-01/ });
    const row = within(changes).getByRole('rowheader', { name: 'Contesto' }).closest('tr') as HTMLElement;
    expect(within(row).getByText('Contesto generico')).toBeInTheDocument();
    expect(asked.filter((q) => (q as { action?: string }).action === 'save')).toHaveLength(0);
  });
  it('refuses a return with a short comment in Italian, then sends it and goes back to the queue', async () => {
    const user = userEvent.setup();
    const posted: unknown[] = [];
    useApiFake(
      routes({
        'POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions': ({ body }) => {
          posted.push(body);
          return { node: 'C2.2.1', ok: true, state: 'returned', version: 6 };
        },
      }),
    );
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Rinvia con osservazioni' }));
    const dialog = await screen.findByRole('dialog');
    const field = within(dialog).getByLabelText('Osservazioni per il dirigente');
    await user.type(field, 'Breve');
    await user.click(within(dialog).getByRole('button', { name: 'Conferma il rinvio' }));
    expect(within(dialog).getByText('Testo troppo breve: scrivi almeno 10 caratteri (ora sono 5).')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
    expect(posted).toEqual([]);

    await user.type(field, ': indicare le fonti');
    await user.click(within(dialog).getByRole('button', { name: 'Conferma il rinvio' }));
    expect(await screen.findByText('Coda: Valutazione C2.2.1 rinviata al dirigente con osservazioni.')).toBeInTheDocument();
    expect(posted).toEqual([{ action: 'return', comment: 'Breve: indicare le fonti' }]);
  });

  it('explains the four-eyes refusal and keeps the dialog and the text', async () => {
    const user = userEvent.setup();
    useApiFake(
      routes({
        'POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions': () => {
          throw new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'four_eyes' });
        },
      }),
    );
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Approva' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Nota di approvazione/), 'Tutto in ordine');
    await user.click(within(dialog).getByRole('button', { name: "Conferma l'approvazione" }));
    expect(await within(dialog).findByText('Chi ha inviato la valutazione non può approvarla: serve un secondo revisore.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Nota di approvazione/)).toHaveValue('Tutto in ordine');
  });

  it('shows the state conflict message when the assessment moved meanwhile', async () => {
    const user = userEvent.setup();
    useApiFake(
      routes({
        'POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions': () => {
          throw new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, code: 'transition_not_allowed', current_state: 'returned' });
        },
      }),
    );
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Approva' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: "Conferma l'approvazione" }));
    expect(await within(dialog).findByText("L'operazione non è consentita nello stato attuale della valutazione.")).toBeInTheDocument();
  });

  it('gives the OIV a read-only page, with the changes but no decisions', async () => {
    h.session = testSession('oiv');
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'C2.2.1 – Iscrizioni al registro' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: "Modifiche dall'invio precedente" })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approva' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rinvia con osservazioni' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Aggiungi un commento')).not.toBeInTheDocument();
  });

  it('does not ask the audit trail for a director, who has no access to it', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'C2.2.1 – Iscrizioni al registro' })).toBeInTheDocument();
    expect(fake.calls.map((c) => c.op)).not.toContain('GET /api/v1/audit');
    expect(screen.queryByRole('button', { name: 'Approva' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: "Apri nell'editor della valutazione" })).toHaveAttribute('href', '/valutazioni/C2.2.1');
    expect(screen.getByLabelText('Aggiungi un commento')).toBeInTheDocument();
  });
});
