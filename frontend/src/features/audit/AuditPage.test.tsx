import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { AuditRecord } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { clearCaches } from '../../lib/register/data';
import { testSession } from '../../test/session';
import AuditPage, { AnchorPanel, VerifyResult } from './AuditPage';
import { apiQuery, diffFields, filtersFromParams, normalizeEntityId, paramsFromFilters, validateFilters } from './auditFilters';

let session: Session;
afterEach(cleanup);
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.search}</output>;
}

const record = (seq: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  seq,
  at: '2026-11-20T10:00:00.000000Z',
  actor_id: 'u-dir2',
  actor_name: 'dir2',
  entity: 'assessment',
  entity_id: '2026-2028/A1.1.1.1',
  action: 'submit',
  before: '{"state":"draft","version":3}',
  after: '{"state":"submitted","version":4}',
  hash: `h${seq}`,
  prev_hash: `h${seq - 1}`,
  client_addr: '10.0.0.1',
  request_id: 'r-1',
  ...over,
});

describe('audit filters and the URL', () => {
  it('reads and writes the API query names, leaving out what is empty', () => {
    const f = filtersFromParams(new URLSearchParams('entity=assessment&entity_id=2026-2028%2FA1.1&page=3&unknown=x'));
    expect(f).toEqual({ entity: 'assessment', entity_id: '2026-2028/A1.1', actor: '', action: '', from: '', to: '', leaf: '', sessions: false, page: 3 });
    expect(paramsFromFilters(f).toString()).toBe('entity=assessment&entity_id=2026-2028%2FA1.1&page=3');
    expect(paramsFromFilters({ ...f, page: 1 }).toString()).toBe('entity=assessment&entity_id=2026-2028%2FA1.1');
    // sign-ins and refreshes are hidden unless asked for
    expect(apiQuery(f)).toEqual({ entity: 'assessment', entity_id: '2026-2028/A1.1', hide_sessions: 'true', page: 3, page_size: 50 });
    expect(apiQuery(f, false)).toEqual({ entity: 'assessment', entity_id: '2026-2028/A1.1', hide_sessions: 'true' });
    const shown = filtersFromParams(new URLSearchParams('leaf=B2.1.2.3&sessions=1'));
    expect(shown).toMatchObject({ leaf: 'B2.1.2.3', sessions: true });
    expect(paramsFromFilters(shown).toString()).toBe('leaf=B2.1.2.3&sessions=1');
    expect(apiQuery(shown, false)).toEqual({ leaf: 'B2.1.2.3' });
  });

  it('ignores a page that is not a positive integer', () => {
    expect(filtersFromParams(new URLSearchParams('page=-2')).page).toBe(1);
    expect(filtersFromParams(new URLSearchParams('page=abc')).page).toBe(1);
  });

  it('completes a bare leaf code with the selected cycle for assessments only', () => {
    expect(normalizeEntityId('assessment', ' A1.1.1.1 ', '2026-2028')).toBe('2026-2028/A1.1.1.1');
    expect(normalizeEntityId('assessment', '2025-2027/A1', '2026-2028')).toBe('2025-2027/A1');
    expect(normalizeEntityId('risk_event', 'ER-D-02', '2026-2028')).toBe('ER-D-02');
    expect(normalizeEntityId('', 'A1.1', '2026-2028')).toBe('A1.1');
  });

  it('refuses a period that ends before it starts', () => {
    expect(validateFilters({ ...filtersFromParams(new URLSearchParams()), from: '2026-05-02', to: '2026-05-01' })).toEqual({ to: 'range_invalid' });
    expect(validateFilters({ ...filtersFromParams(new URLSearchParams()), from: '2026-05-01', to: '2026-05-01' })).toEqual({});
  });

  it('compares before and after field by field', () => {
    expect(diffFields({ a: 1, b: { x: 1 }, c: 3 }, { a: 1, b: { x: 2 }, d: 4 })).toEqual([
      { field: 'b', before: { x: 1 }, after: { x: 2 }, kind: 'changed' },
      { field: 'c', before: 3, after: undefined, kind: 'removed' },
      { field: 'd', before: undefined, after: 4, kind: 'added' },
    ]);
    expect(diffFields(undefined, { a: 1 })).toBeNull();
  });
});

describe('chain verification result', () => {
  it('says the chain is intact with the number of records', () => {
    render(<VerifyResult result={{ valid: true, records: 57, head: 57 }} onAgain={() => undefined} busy={false} />);
    const box = screen.getByTestId('audit-verify');
    expect(box).toHaveTextContent('Catena integra: 57 registrazioni verificate.');
    expect(box).toHaveAttribute('data-valid', 'true');
    expect(screen.getByRole('button', { name: 'Verifica di nuovo' })).toBeEnabled();
  });

  it('names the first broken record and why', async () => {
    const again = vi.fn();
    render(<VerifyResult result={{ valid: false, records: 41, head: 57, break: { seq: 42, code: 'record_altered', reason: 'record 42 was altered' } }} onAgain={again} busy={false} />);
    const box = screen.getByTestId('audit-verify');
    expect(box).toHaveAttribute('data-valid', 'false');
    expect(box).toHaveTextContent('Catena interrotta alla registrazione n. 42.');
    expect(box).toHaveTextContent('il suo contenuto non corrisponde più');
    expect(box).toHaveTextContent('Registrazioni verificate prima dell\'interruzione: 41.');
    await userEvent.click(screen.getByRole('button', { name: 'Verifica di nuovo' }));
    expect(again).toHaveBeenCalledOnce();
  });
});

describe('external anchors of the trail', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists the anchors, shows the key fingerprint and downloads the latest checkpoint', async () => {
    const download = vi.spyOn(api, 'download').mockResolvedValue(undefined);
    render(
      <AnchorPanel
        result={{
          valid: true,
          records: 57,
          head: 57,
          anchors: [
            { kind: 'snapshot', ref: '2026-2028', source: 'snapshot of cycle 2026-2028', seq: 40, hash: 'a'.repeat(64) },
            { kind: 'checkpoint', ref: '2027-02-01T10:00:00Z', source: 'checkpoint of 2027-02-01T10:00:00Z', seq: 57, hash: 'b'.repeat(64) },
          ],
          checkpoint: {
            format: 'argine-audit-checkpoint/1',
            ente_id: 'e1',
            ente_code: 'cciaa-basilicata',
            head_seq: 57,
            head_hash: 'b'.repeat(64),
            created_at: '2027-02-01T10:00:00Z',
            software_version: 'v1',
            key_id: 'f'.repeat(16),
            public_key: 'k',
            signature: 's',
          },
          public_key: { pem: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n', fingerprint: 'f'.repeat(64), key_id: 'f'.repeat(16) },
        }}
      />,
    );
    const box = screen.getByTestId('audit-anchors');
    expect(box).toHaveTextContent('Registro adottato del ciclo 2026-2028: registrazione n. 40');
    expect(box).toHaveTextContent('Punto di controllo firmato del');
    expect(screen.getByTestId('audit-key-fingerprint')).toHaveTextContent('f'.repeat(64));
    await userEvent.click(screen.getByRole('button', { name: "Scarica l'ultimo punto di controllo" }));
    expect(download).toHaveBeenCalledWith('GET /api/v1/audit/checkpoints/latest', {}, 'punto-di-controllo-audit.json');
  });

  it('warns when the server signs no checkpoints, and explains a deleted trail', () => {
    render(<AnchorPanel result={{ valid: false, records: 0, head: 0, anchors: [] }} />);
    expect(screen.getByTestId('audit-anchors')).toHaveTextContent('Il server non firma punti di controllo');
    expect(screen.queryByRole('button', { name: "Scarica l'ultimo punto di controllo" })).toBeNull();
    cleanup();
    render(<VerifyResult result={{ valid: false, records: 0, head: 0, break: { seq: 1, code: 'trail_empty', reason: 'deleted' } }} onAgain={() => undefined} busy={false} />);
    expect(screen.getByTestId('audit-verify')).toHaveTextContent('è stato cancellato');
    cleanup();
    render(<VerifyResult result={{ valid: false, records: 57, head: 57, break: { seq: 0, code: 'checkpoint_invalid', reason: 'bad signature' } }} onAgain={() => undefined} busy={false} />);
    expect(screen.getByTestId('audit-verify')).toHaveTextContent('Integrità non verificabile.');
    expect(screen.getByTestId('audit-verify')).toHaveTextContent('firma non corrispondente');
  });
});

describe('audit screen', () => {
  let calls: Array<{ op: string; query?: Record<string, unknown> }>;
  beforeEach(() => {
    session = testSession('oiv');
    calls = [];
    vi.spyOn(api, 'call').mockImplementation(async (op, opts) => {
      calls.push({ op, query: opts?.query as Record<string, unknown> });
      if (op === 'GET /api/v1/audit/verify') return { valid: true, records: 3, head: 3 };
      if (op === 'GET /api/v1/audit')
        return {
          items: [record(3), record(2, { action: 'save', before: '', after: '{"node":"A1.1.1.1"}' }), record(1, { entity: 'session', entity_id: 's1', action: 'login', before: '', after: '' })],
          total: 3,
          page: 1,
          page_size: 50,
        };
      if (op === 'GET /api/v1/cycles/:cycle/process-map')
        return {
          cycle: {},
          counts: {},
          units: [{ code: 'AD1', title: 'Area 1' }],
          strategic_objectives: [],
          risk_areas: [],
          nodes: [{ code: 'A1', title: 'Area A', children: [{ code: 'A1.1.1.1', title: 'Istruttoria delle domande', children: [] }] }],
        };
      throw new Error(`unexpected ${op}`);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    clearCaches();
  });

  const renderAt = (url: string) =>
    render(
      <MemoryRouter initialEntries={[url]}>
        <AuditPage />
        <Where />
      </MemoryRouter>,
    );

  it('fills the filters from the URL and asks the API with them', async () => {
    renderAt('/attivita?entity=assessment&entity_id=2026-2028%2FA1.1.1.1&action=submit');
    expect(await screen.findByTestId('audit-table')).toBeInTheDocument();
    expect(screen.getByLabelText('Tipo di oggetto')).toHaveValue('assessment');
    expect(screen.getByLabelText('Identificativo')).toHaveValue('2026-2028/A1.1.1.1');
    expect(screen.getByLabelText('Operazione')).toHaveValue('submit');
    const list = calls.find((c) => c.op === 'GET /api/v1/audit');
    expect(list?.query).toEqual({ entity: 'assessment', entity_id: '2026-2028/A1.1.1.1', action: 'submit', hide_sessions: 'true', page: 1, page_size: 50 });
  });

  it('puts the applied filters in the URL, completing a leaf code with the cycle', async () => {
    renderAt('/attivita');
    await screen.findByTestId('audit-table');
    expect(screen.getByRole('search', { name: 'Filtra le registrazioni' })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Tipo di oggetto'), 'assessment');
    await userEvent.type(screen.getByLabelText('Identificativo'), 'A1.1.1.1');
    await userEvent.click(screen.getByRole('button', { name: 'Applica i filtri' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('?entity=assessment&entity_id=2026-2028%2FA1.1.1.1'));
    await waitFor(() => expect(calls.filter((c) => c.op === 'GET /api/v1/audit').at(-1)?.query).toMatchObject({ entity: 'assessment', entity_id: '2026-2028/A1.1.1.1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Azzera i filtri' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent(/^$/));
  });

  it('shows actions in Italian and the before/after of a record', async () => {
    renderAt('/attivita');
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getByText('Invio al RPCT')).toBeInTheDocument();
    expect(within(table).getByText('Accesso')).toBeInTheDocument();
    const button = within(table).getByRole('button', { name: 'Mostra i dettagli della registrazione 3' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const diff = screen.getByRole('table', { name: 'Campi modificati' });
    expect(within(diff).getByRole('rowheader', { name: 'Stato della valutazione' })).toBeInTheDocument();
    expect(within(diff).getByText('draft')).toBeInTheDocument();
    expect(within(diff).getByText('submitted')).toBeInTheDocument();
    // each record reads as a sentence; a save of an assessment lists its changes in Italian, the JSON in a disclosure
    // the leaf by code and title, from the cycle's process map
    await waitFor(() => expect(within(table).getByTestId('audit-sentence-3')).toHaveTextContent('dir2 ha inviato al RPCT la valutazione di A1.1.1.1 – Istruttoria delle domande.'));
    // from one record to the whole history of its leaf
    await userEvent.click(screen.getByRole('button', { name: 'Tutte le attività su Valutazione 2026-2028/A1.1.1.1' }));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('entity=assessment&entity_id=2026-2028%2FA1.1.1.1'));
  });

  it('names in Italian a field the service adds to a record', async () => {
    const choose = record(4, { entity: 'methodology', entity_id: '2026-2028', action: 'choose', before: '{"code":"pna2019"}', after: '{"code":"pna2019-5","rescored_risks":12}' });
    vi.mocked(api.call).mockImplementation(async (op) => (op === 'GET /api/v1/audit' ? { items: [choose], total: 1, page: 1, page_size: 50 } : { valid: true, records: 4, head: 4 }));
    renderAt('/attivita');
    const table = await screen.findByTestId('audit-table');
    await userEvent.click(within(table).getByRole('button', { name: 'Mostra i dettagli della registrazione 4' }));
    const diff = screen.getByRole('table', { name: 'Campi modificati' });
    expect(within(diff).getByRole('rowheader', { name: 'Rischi rivalutati con la nuova metodologia' })).toBeInTheDocument();
    expect(within(diff).getByRole('rowheader', { name: 'Codice' })).toBeInTheDocument();
  });

  it("names a changed field in Italian, by its entity's own name where it has one", async () => {
    const update = record(5, { entity: 'programme_measure', entity_id: '2026-2028/MG-01', action: 'update', before: '{"status":"new","owner":"Segretario","version":1}', after: '{"status":"in_progress","owner":"Dirigente","version":2}' });
    vi.mocked(api.call).mockImplementation(async (op) => (op === 'GET /api/v1/audit' ? { items: [update], total: 1, page: 1, page_size: 50 } : { valid: true, records: 5, head: 5 }));
    renderAt('/attivita');
    const table = await screen.findByTestId('audit-table');
    await userEvent.click(within(table).getByRole('button', { name: 'Mostra i dettagli della registrazione 5' }));
    const diff = screen.getByRole('table', { name: 'Campi modificati' });
    expect(within(diff).getByRole('rowheader', { name: 'Stato di programmazione' })).toBeInTheDocument();
    expect(within(diff).getByRole('rowheader', { name: 'Responsabile' })).toBeInTheDocument();
    expect(within(diff).getByRole('rowheader', { name: 'Versione' })).toBeInTheDocument();
    expect(within(diff).getByRole('region', { name: 'Valore di Stato di programmazione prima' })).toHaveTextContent('new');
  });

  it('refuses a reversed period next to the field without querying', async () => {
    renderAt('/attivita');
    await screen.findByTestId('audit-table');
    const before = calls.length;
    await userEvent.type(screen.getByLabelText('Dal giorno'), '2026-05-02');
    await userEvent.type(screen.getByLabelText('Al giorno'), '2026-05-01');
    await userEvent.click(screen.getByRole('button', { name: 'Applica i filtri' }));
    expect(screen.getByLabelText('Al giorno')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('La data finale precede quella iniziale.')).toBeInTheDocument();
    expect(calls.length).toBe(before);
  });
});
