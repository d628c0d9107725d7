import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegisterImportReport } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';

const { call, download } = vi.hoisted(() => ({ call: vi.fn(), download: vi.fn() }));
let session: Session;

vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call, download } }));
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useCycleCode: () => '2026-2028', useSession: () => session }));

import RegisterImportPage, { fileHeaders } from './RegisterImportPage';

const preview: RegisterImportReport = {
  format: 'csv',
  detected: 'semicolon separator, Windows-1252',
  sheet: 'CSV',
  header_row: 1,
  columns: [
    { key: 'code', label: 'Codice', column: 'A', header: 'Codice' },
    { key: 'event', label: 'Evento rischioso' },
  ],
  ignored_columns: ['Descrizione evento'],
  leaves: [
    { code: 'A1.1', file_title: 'Verifiche', map_title: 'Verifiche', title_similarity: 1, needs_confirmation: false, confirmed: false, first_row: 2, rows: 2, risks: 1, measures: 1, action: 'create',
      links: [{ ref: 'B2.2#M1', owner: 'B2.2', key: 'M1', title: 'Rotazione', text: 'collegamento alla misura M1 «Rotazione» di B2.2', in_file: true, row: 3 }] },
    { code: 'B2.2', file_title: 'Relazione', map_title: 'Manutenzioni', title_similarity: 0.2, needs_confirmation: true, confirmed: false, first_row: 4, rows: 1, risks: 1, measures: 0, action: 'skipped', reason: 'title_mismatch_unconfirmed' },
  ],
  problems: [{ file: 'CSV', line: 5, column: 'D (Inizio)', field: 'start', code: 'date_invalid', message: '"domani" is not a date' }],
  unknown_codes: [],
  dry_run: true,
  committed: false,
  created: 1,
  updated: 0,
  unchanged: 0,
  skipped: 1,
};

async function choose(user: ReturnType<typeof userEvent.setup>) {
  const file = new File(['Codice;Evento\nA1.1;x\n'], 'registro.csv', { type: 'text/csv' });
  await user.upload(screen.getByLabelText(/File del registro/), file);
  await user.click(screen.getByRole('button', { name: 'Controlla il file (anteprima)' }));
}

describe('register import page', () => {
  beforeEach(() => {
    session = testSession('rpct');
    call.mockReset();
  });
  afterEach(cleanup);

  it('previews the file: problems at their place, titles to confirm, import blocked until fixed', async () => {
    const user = userEvent.setup();
    call.mockImplementation((op: string, opts: { query?: Record<string, string>; body?: FormData }) => {
      if (op === 'GET /api/v1/register-import-mapping') return Promise.resolve({ columns: {}, version: 0 });
      if (op === 'POST /api/v1/cycles/:cycle/register-imports') {
        expect(opts.query).toEqual({ dry_run: 'true' });
        expect((opts.body?.get('file') as File).name).toBe('registro.csv');
        return Promise.resolve(preview);
      }
      return Promise.reject(new Error(op));
    });
    render(
      <MemoryRouter>
        <RegisterImportPage />
      </MemoryRouter>,
    );
    await user.click(screen.getByRole('button', { name: 'Controlla il file (anteprima)' }));
    expect(screen.getByText('Scegli il file da importare.')).toBeInTheDocument();
    await choose(user);
    expect(await screen.findByTestId('import-summary')).toHaveTextContent('Da creare: 1');
    expect(screen.getByText('collegamento alla misura M1 «Rotazione» di B2.2')).toBeInTheDocument();
    const problems = screen.getByRole('table', { name: 'Problemi del file, con foglio, riga e colonna' });
    expect(within(problems).getByText('Non è una data (gg/mm/aaaa)')).toBeInTheDocument();
    expect(within(problems).getByText('D (Inizio)')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: /B2\.2: nel file «Relazione», nella mappatura «Manutenzioni»/ })).not.toBeChecked();
    const importButton = screen.getByRole('button', { name: 'Importa' });
    expect(importButton).toHaveAttribute('aria-disabled', 'true');
    await user.click(importButton);
    expect(call).not.toHaveBeenCalledWith('POST /api/v1/cycles/:cycle/register-imports', expect.objectContaining({ query: undefined }));
  });

  it('commits with the confirmed leaves and the chosen mapping', async () => {
    const user = userEvent.setup();
    const clean = { ...preview, problems: [] };
    let committed: FormData | undefined;
    call.mockImplementation((op: string, opts: { query?: Record<string, string>; body?: FormData }) => {
      if (op === 'GET /api/v1/register-import-mapping') return Promise.resolve({ columns: {}, version: 0 });
      if (op === 'PUT /api/v1/register-import-mapping') return Promise.resolve({ columns: {}, version: 1 });
      if (opts.query?.dry_run) return Promise.resolve(clean);
      committed = opts.body;
      return Promise.resolve({ ...clean, dry_run: false, committed: true, created: 2, skipped: 0 });
    });
    render(
      <MemoryRouter>
        <RegisterImportPage />
      </MemoryRouter>,
    );
    await choose(user);
    await screen.findByTestId('import-summary');
    await user.click(screen.getByText('Abbinamento delle colonne'));
    await user.selectOptions(screen.getByLabelText('Evento rischioso'), 'Descrizione evento');
    await user.click(screen.getByRole('checkbox', { name: /B2\.2/ }));
    await user.click(screen.getByRole('button', { name: 'Importa' }));
    expect(await screen.findByText('Importazione completata')).toBeInTheDocument();
    expect(committed?.get('confirm')).toBe('B2.2');
    expect(JSON.parse(String(committed?.get('mapping')))).toEqual({ code: 'Codice', event: 'Descrizione evento' });
  });

  it('is the RPCT only', () => {
    session = testSession('director', { units: ['AD1'] });
    call.mockResolvedValue({ columns: {}, version: 0 });
    render(
      <MemoryRouter>
        <RegisterImportPage />
      </MemoryRouter>,
    );
    expect(screen.getByText('Solo il RPCT può importare un registro.')).toBeInTheDocument();
  });

  it('offers every header of the file for the mapping', () => {
    expect(fileHeaders(preview)).toEqual(['Codice', 'Descrizione evento']);
  });
});
