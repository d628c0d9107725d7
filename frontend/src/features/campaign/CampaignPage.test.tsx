import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { LeafStatus } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import { fakeApi, type Route as ApiRoute } from '../../test/api';
import { testSession } from '../../test/session';
import { BulkPreview } from './BulkPreview';
import CampaignPage from './CampaignPage';

const h = vi.hoisted(() => ({ session: null as unknown as Session }));
vi.mock('../../auth/session', async (orig) => ({
  ...(await orig<typeof import('../../auth/session')>()),
  useSession: () => h.session,
  useCycleCode: () => '2026-2028',
}));

const leaf = (code: string, over: Partial<LeafStatus> = {}): LeafStatus => ({
  code,
  title: `Azione ${code}`,
  units: ['AD2'],
  lead_unit: 'AD2',
  state: 'draft',
  missing_count: 0,
  complete: true,
  excluded: false,
  ...over,
});

const leaves = [
  leaf('C1.1', { state: 'draft', complete: false, missing_count: 3, parent: 'C1' }),
  leaf('C1.2', { state: 'none', complete: false, parent: 'C1' }),
  leaf('C1.3', { units: ['AD2', 'SG'], lead_unit: 'AD2', parent: 'C9' }),
  leaf('C1.4', { state: 'none', complete: false, excluded: true, exclusion_reason: 'Azione non più svolta', parent: 'C1' }),
];

function mockApi(routes: Record<string, ApiRoute>) {
  const f = fakeApi({ 'GET /api/v1/cycles/:cycle/leaves': (o) => (o.query?.to_sign ? { total: 0, items: [] } : { total: leaves.length, items: leaves }), ...routes });
  vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
  return f;
}

/** Waits for the leaves, checks those named by code and opens the bulk dialog of the button: the dialog. */
async function openBulkDialog(codes: string[], button: string, dialogName?: string): Promise<HTMLElement> {
  await screen.findByRole('table', { name: /4 azioni/ });
  for (const code of codes) fireEvent.click(screen.getByRole('checkbox', { name: `Seleziona ${code} Azione ${code}` }));
  fireEvent.click(screen.getByRole('button', { name: button }));
  return screen.findByRole('dialog', dialogName ? { name: dialogName } : {});
}

function renderPage(path = '/campagna') {
  render(
    <MemoryRouter initialEntries={[path]}>
      <div id="announcer" aria-live="polite" />
      <CampaignPage />
    </MemoryRouter>,
  );
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('campaign leaves', () => {
  it('shows each leaf with its state and what it still lacks', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    mockApi({});
    renderPage();
    const table = await screen.findByRole('table', { name: /4 azioni/ });
    const row = (code: string) => within(table).getByRole('link', { name: code }).closest('tr') as HTMLElement;
    expect(row('C1.1')).toHaveTextContent('3 elementi mancanti');
    expect(row('C1.1')).toHaveTextContent('Bozza');
    expect(row('C1.2')).toHaveTextContent('Non iniziata');
    expect(row('C1.3')).toHaveTextContent('Completa');
    expect(row('C1.3')).toHaveTextContent('AD2 (capofila), SG');
    expect(row('C1.4')).toHaveTextContent('Esclusa');
    // A director does not exclude, nor change the lead unit.
    expect(screen.queryByRole('button', { name: 'Escludi le selezionate' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: /Unità capofila/ })).not.toBeInTheDocument();
  });

  it('previews a copy to the checked leaves, then applies it', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    const copy = vi.fn((o: { body?: unknown }) => {
      const b = o.body as { dry_run: boolean; targets: string[]; measures: string };
      return {
        dry_run: b.dry_run,
        applied: b.dry_run ? 0 : 1,
        skipped: 1,
        targets: [
          { node: 'C1.2', action: 'create', risks_created: 2, measures_linked: 1 },
          { node: 'C1.4', action: 'skip', code: 'forbidden', message: 'not yours' },
        ],
      };
    });
    const f = mockApi({ 'POST /api/v1/cycles/:cycle/nodes/:code/assessment/copy': copy });
    renderPage('/campagna?copia=C1.1');
    await screen.findByRole('table', { name: /4 azioni/ });
    expect(screen.getByText(/Seleziona le azioni in cui copiare la valutazione di C1.1/)).toBeInTheDocument();
    const copyButton = screen.getByRole('button', { name: 'Copia una valutazione nelle selezionate' });
    expect(copyButton).toBeDisabled();
    // The siblings of the source (same parent) in one click.
    fireEvent.click(screen.getByRole('button', { name: 'Seleziona le 2 azioni sorelle di C1.1' }));
    expect(screen.getByRole('checkbox', { name: 'Seleziona C1.2 Azione C1.2' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Seleziona C1.4 Azione C1.4' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Seleziona C1.3 Azione C1.3' })).not.toBeChecked();
    expect(screen.getByText('2 azioni selezionate')).toBeInTheDocument();
    fireEvent.click(copyButton);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('combobox', { name: /Valutazione da copiare/ })).toHaveValue('C1.1');
    expect(within(dialog).getByRole('button', { name: 'Applica' })).toBeDisabled();
    fireEvent.click(within(dialog).getByRole('radio', { name: /Crea una copia delle misure/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
    const preview = await within(dialog).findByTestId('copy-preview');
    expect(preview).toHaveTextContent('Anteprima: 1 azione sarà modificata, 1 saltate. Nulla è stato ancora scritto.');
    expect(preview).toHaveTextContent('Nuova valutazione: 2 rischi, 0 misure create, 1 misure collegate.');
    expect(preview).toHaveTextContent('Non è di una delle tue unità.');
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ params: { cycle: '2026-2028', code: 'C1.1' }, body: { targets: ['C1.2', 'C1.4'], measures: 'copy', dry_run: true } }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Applica' }));
    expect(await within(dialog).findByTestId('copy-result')).toHaveTextContent('Fatto: 1 azione modificata, 1 saltate.');
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ body: { targets: ['C1.2', 'C1.4'], measures: 'copy', dry_run: false } }));
    // The list is read again after the copy.
    expect(f.calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/leaves' && !c.opts.query?.to_sign).length).toBeGreaterThanOrEqual(2);
  });

  it('asks for the assessment to copy, and a changed choice drops the preview', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    const copy = vi.fn(() => ({ dry_run: true, applied: 0, skipped: 0, targets: [{ node: 'C1.2', action: 'create', risks_created: 1, measures_linked: 0 }] }));
    mockApi({ 'POST /api/v1/cycles/:cycle/nodes/:code/assessment/copy': copy });
    renderPage();
    const dialog = await openBulkDialog(['C1.2'], 'Copia una valutazione nelle selezionate', 'Copia una valutazione in 1 azione');
    expect(within(dialog).getByText('Azioni selezionate: C1.2')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
    expect(await within(dialog).findByText('Scegli la valutazione da copiare.')).toBeInTheDocument();
    expect(copy).not.toHaveBeenCalled();
    fireEvent.change(within(dialog).getByRole('combobox', { name: /Valutazione da copiare/ }), { target: { value: 'C1.1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
    expect(await within(dialog).findByTestId('copy-preview')).toBeInTheDocument();
    expect(within(dialog).queryByText('Scegli la valutazione da copiare.')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Applica' })).toBeEnabled();
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ params: { cycle: '2026-2028', code: 'C1.1' }, body: { targets: ['C1.2'], measures: 'link', dry_run: true } }));
    // Another way of taking the measures is another copy: its preview must be asked again.
    fireEvent.click(within(dialog).getByRole('radio', { name: /Crea una copia delle misure/ }));
    await vi.waitFor(() => expect(within(dialog).queryByTestId('copy-preview')).not.toBeInTheDocument());
    expect(within(dialog).getByRole('button', { name: 'Applica' })).toBeDisabled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Annulla' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('applies a measure of one leaf to the checked leaves, after a preview', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    const link = vi.fn((o: { body?: unknown }) => {
      const b = o.body as { dry_run: boolean };
      return { dry_run: b.dry_run, applied: b.dry_run ? 0 : 2, skipped: 0, targets: [{ node: 'C1.2', action: 'link', risks_linked: 2 }, { node: 'C1.3', action: 'link', risks_linked: 1 }] };
    });
    const assessment = vi.fn((o: { params?: Record<string, string> }) => ({
      measures: o.params?.code === 'C1.1' ? [{ id: 'm-7', key: 'M7', title: 'Rotazione degli incarichi' }] : [{ id: 'm-9', key: 'M9', title: '' }],
    }));
    const f = mockApi({ 'GET /api/v1/cycles/:cycle/nodes/:code/assessment': assessment, 'POST /api/v1/cycles/:cycle/measures/:measure/links': link });
    renderPage();
    const dialog = await openBulkDialog(['C1.2', 'C1.3'], 'Applica una misura alle selezionate', 'Applica una misura a 2 azioni');
    expect(within(dialog).getByText('Azioni selezionate: C1.2, C1.3')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Applica' })).toBeDisabled();
    fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
    expect(await within(dialog).findByText('Scegli la misura da applicare.')).toBeInTheDocument();
    expect(link).not.toHaveBeenCalled();
    // The measures offered are those of the leaf chosen as source; another source offers its own.
    const measure = within(dialog).getByRole('combobox', { name: /^Misura/ });
    fireEvent.change(within(dialog).getByRole('combobox', { name: /Azione che programma la misura/ }), { target: { value: 'C1.3' } });
    expect(await within(measure).findByRole('option', { name: 'M9' })).toBeInTheDocument();
    fireEvent.change(within(dialog).getByRole('combobox', { name: /Azione che programma la misura/ }), { target: { value: 'C1.1' } });
    expect(await within(measure).findByRole('option', { name: 'Rotazione degli incarichi' })).toBeInTheDocument();
    expect(within(measure).queryByRole('option', { name: 'M9' })).not.toBeInTheDocument();
    fireEvent.change(measure, { target: { value: 'm-7' } });
    fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
    expect(await within(dialog).findByTestId('link-preview')).toBeInTheDocument();
    expect(link).toHaveBeenLastCalledWith(expect.objectContaining({ params: { cycle: '2026-2028', measure: 'm-7' }, body: { targets: ['C1.2', 'C1.3'], dry_run: true } }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Applica' }));
    expect(await within(dialog).findByTestId('link-result')).toBeInTheDocument();
    expect(within(dialog).queryByTestId('link-preview')).not.toBeInTheDocument();
    expect(link).toHaveBeenLastCalledWith(expect.objectContaining({ body: { targets: ['C1.2', 'C1.3'], dry_run: false } }));
    await vi.waitFor(() => expect(document.getElementById('announcer')).toHaveTextContent('Misura applicata.'));
    // Done: only a way out is left, and the list is read again.
    expect(within(dialog).queryByRole('button', { name: 'Applica' })).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: "Mostra l'anteprima" })).not.toBeInTheDocument();
    expect(f.calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/leaves' && !c.opts.query?.to_sign).length).toBeGreaterThanOrEqual(2);
    fireEvent.click(within(dialog).getAllByRole('button', { name: 'Chiudi' }).at(-1)!);
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  describe('a bulk apply the server refuses', () => {
    const problem = (status: number, code: string, errors?: Array<{ field: string; code: string; message: string }>) =>
      new ApiError({ type: 't', title: 'x', status, code, ...(errors ? { errors } : {}) });
    const refused422 = problem(422, 'bulk_invalid', [
      { field: 'measures', code: 'value_unknown', message: 'measures must be link or copy' },
      { field: 'targets[1]', code: 'invalid', message: 'a leaf code of 1 to 100 characters' },
      { field: 'targets', code: 'too_many', message: 'at most 200 target leaves at once' },
    ]);
    const fields422 = ['Misure: Scegli una delle opzioni proposte.', 'Azione C1.3: Valore non valido.', 'Azioni selezionate: Troppi elementi.'];
    const cases = [
      { name: '422 with field errors', error: refused422, message: 'Controlla le azioni selezionate e le opzioni.', fields: fields422 },
      { name: '500', error: problem(500, 'internal_error'), message: "Errore interno del server. Se il problema persiste, contatta l'assistenza indicando l'orario.", fields: [] },
    ];
    // The preview is answered; the apply fails with `error`.
    const failingApply = (error: ApiError, outcome: object) =>
      vi.fn((o: { body?: unknown }) => {
        if ((o.body as { dry_run: boolean }).dry_run) return { dry_run: true, applied: 0, skipped: 0, ...outcome };
        throw error;
      });
    const listReads = (f: ReturnType<typeof mockApi>) => f.calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/leaves' && !c.opts.query?.to_sign).length;

    /** Applies after the preview, then checks the dialog kept the failure: shown, not announced, the list not read again. */
    async function applyAndExpectFailure(f: ReturnType<typeof mockApi>, dialog: HTMLElement, tool: 'copy' | 'link', doneText: string, c: (typeof cases)[number]) {
      const announcer = document.getElementById('announcer')!;
      // announce() empties the live region at once: this text stays only if nothing is announced.
      announcer.textContent = 'nessun annuncio';
      const reads = listReads(f);
      fireEvent.click(within(dialog).getByRole('button', { name: 'Applica' }));
      const shown = await within(dialog).findByTestId('bulk-problem');
      expect(shown).toHaveAttribute('role', 'alert');
      expect(shown).toHaveTextContent(c.message);
      for (const line of c.fields) expect(within(shown).getByText((_, el) => el?.tagName === 'LI' && el.textContent === line)).toBeInTheDocument();
      if (c.fields.length === 0) expect(within(shown).queryByRole('listitem')).not.toBeInTheDocument();
      // The dialog is still open on its preview, ready for another try: no result, no "Chiudi" of a finished run.
      expect(screen.getByRole('dialog')).toBe(dialog);
      expect(within(dialog).queryByTestId(`${tool}-result`)).not.toBeInTheDocument();
      expect(within(dialog).getByTestId(`${tool}-preview`)).toBeInTheDocument();
      expect(within(dialog).getByRole('button', { name: 'Applica' })).toBeEnabled();
      // Closing needs one more render, which runs every pending effect first: a reload asked for would have read the list by then.
      fireEvent.click(within(dialog).getByRole('button', { name: 'Annulla' }));
      await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
      expect(announcer).toHaveTextContent('nessun annuncio');
      expect(announcer).not.toHaveTextContent(doneText);
      expect(listReads(f)).toBe(reads);
    }

    it.each(cases)('keeps a copy that failed ($name) in the dialog, neither announced nor reloaded', async (c) => {
      h.session = testSession('director', { units: ['AD2'] });
      const copy = failingApply(c.error, { targets: [{ node: 'C1.2', action: 'create', risks_created: 1 }, { node: 'C1.3', action: 'create', risks_created: 1 }] });
      const f = mockApi({ 'POST /api/v1/cycles/:cycle/nodes/:code/assessment/copy': copy });
      renderPage('/campagna?copia=C1.1');
      const dialog = await openBulkDialog(['C1.2', 'C1.3'], 'Copia una valutazione nelle selezionate', 'Copia una valutazione in 2 azioni');
      fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
      await within(dialog).findByTestId('copy-preview');
      await applyAndExpectFailure(f, dialog, 'copy', 'Copia eseguita.', c);
      expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ body: { targets: ['C1.2', 'C1.3'], measures: 'link', dry_run: false } }));
    });

    it.each(cases)('keeps a measure applied with a failure ($name) in the dialog, neither announced nor reloaded', async (c) => {
      h.session = testSession('director', { units: ['AD2'] });
      const link = failingApply(c.error, { targets: [{ node: 'C1.2', action: 'link', risks_linked: 2 }, { node: 'C1.3', action: 'link', risks_linked: 1 }] });
      const f = mockApi({
        'GET /api/v1/cycles/:cycle/nodes/:code/assessment': () => ({ measures: [{ id: 'm-7', key: 'M7', title: 'Rotazione degli incarichi' }] }),
        'POST /api/v1/cycles/:cycle/measures/:measure/links': link,
      });
      renderPage();
      const dialog = await openBulkDialog(['C1.2', 'C1.3'], 'Applica una misura alle selezionate', 'Applica una misura a 2 azioni');
      fireEvent.change(within(dialog).getByRole('combobox', { name: /Azione che programma la misura/ }), { target: { value: 'C1.1' } });
      const measure = within(dialog).getByRole('combobox', { name: /^Misura/ });
      await within(measure).findByRole('option', { name: 'Rotazione degli incarichi' });
      fireEvent.change(measure, { target: { value: 'm-7' } });
      fireEvent.click(within(dialog).getByRole('button', { name: "Mostra l'anteprima" }));
      await within(dialog).findByTestId('link-preview');
      await applyAndExpectFailure(f, dialog, 'link', 'Misura applicata.', c);
      expect(link).toHaveBeenLastCalledWith(expect.objectContaining({ body: { targets: ['C1.2', 'C1.3'], dry_run: false } }));
    });
  });

  it('names the leaves an exclusion refuses, and keeps the dialog open', async () => {
    h.session = testSession('rpct');
    const exclude = vi.fn(() => {
      throw new ApiError({
        type: 't',
        title: 'x',
        status: 422,
        code: 'exclusion_invalid',
        errors: [{ field: 'nodes[1]', code: 'node_not_leaf', message: 'C1.2 has sub-nodes: only leaves are excluded' }],
      });
    });
    const f = mockApi({ 'POST /api/v1/cycles/:cycle/exclusions': exclude });
    renderPage();
    const dialog = await openBulkDialog(['C1.1', 'C1.2'], 'Escludi le selezionate');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Motivazione dell'esclusione/ }), { target: { value: 'Azioni soppresse dal nuovo regolamento' } });
    const reads = f.calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/leaves').length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Escludi 2 azioni' }));
    const shown = await within(dialog).findByTestId('bulk-problem');
    expect(shown).toHaveTextContent('Alcune righe selezionate non sono azioni foglia della mappa.');
    expect(within(shown).getByRole('listitem')).toHaveTextContent("Azione C1.2: Non è un'azione foglia della mappa.");
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(f.calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/leaves').length).toBe(reads);
  });

  it('lets the RPCT exclude many leaves with one reason, undo an exclusion and choose the lead unit', async () => {
    h.session = testSession('rpct');
    const exclude = vi.fn(() => ({ items: [] }));
    const include = vi.fn(() => ({ items: [] }));
    const lead = vi.fn(() => leaf('C1.3', { lead_unit: 'SG', lead_unit_chosen: true }));
    mockApi({
      'POST /api/v1/cycles/:cycle/exclusions': exclude,
      'DELETE /api/v1/cycles/:cycle/exclusions/:code': include,
      'PUT /api/v1/cycles/:cycle/nodes/:code/lead-unit': lead,
    });
    renderPage();
    await screen.findByRole('table', { name: /4 azioni/ });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Seleziona le azioni di questa pagina' }));
    fireEvent.click(screen.getByRole('button', { name: 'Escludi le selezionate' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Escludi 4 azioni' }));
    expect(await within(dialog).findByText('Scrivi una motivazione di almeno 10 caratteri.')).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /Motivazione dell'esclusione/ })).toHaveFocus();
    expect(exclude).not.toHaveBeenCalled();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Motivazione dell'esclusione/ }), { target: { value: 'Azioni soppresse dal nuovo regolamento' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Escludi 4 azioni' }));
    await vi.waitFor(() => expect(exclude).toHaveBeenCalledWith(expect.objectContaining({ body: { nodes: ['C1.1', 'C1.2', 'C1.3', 'C1.4'], reason: 'Azioni soppresse dal nuovo regolamento' } })));
    fireEvent.click(screen.getByRole('button', { name: 'Riammetti C1.4 nella campagna' }));
    await vi.waitFor(() => expect(include).toHaveBeenCalledWith(expect.objectContaining({ params: { cycle: '2026-2028', code: 'C1.4' } })));
    fireEvent.change(screen.getByRole('combobox', { name: 'Unità capofila di C1.3' }), { target: { value: 'SG' } });
    await vi.waitFor(() => expect(lead).toHaveBeenCalledWith(expect.objectContaining({ body: { unit: 'SG' } })));
  });
});

describe('leaves blocking consolidation', () => {
  it('lists only the leaves neither approved nor excluded, and select-all takes only those', async () => {
    h.session = testSession('rpct');
    const approved = leaf('C2.1', { state: 'approved' });
    const exclude = vi.fn(() => ({ items: [] }));
    const f = fakeApi({
      'GET /api/v1/cycles/:cycle/leaves': () => ({ total: leaves.length + 1, items: [...leaves, approved] }),
      'POST /api/v1/cycles/:cycle/exclusions': exclude,
    });
    vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
    renderPage('/campagna?bloccanti=1');
    const table = await screen.findByRole('table', { name: /3 azioni/ });
    expect(screen.getByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ })).toBeChecked();
    expect(within(table).queryByRole('link', { name: 'C1.4' })).not.toBeInTheDocument();
    expect(within(table).queryByRole('link', { name: 'C2.1' })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Seleziona le azioni di questa pagina' }));
    fireEvent.click(screen.getByRole('button', { name: 'Escludi le selezionate' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Motivazione dell'esclusione/ }), { target: { value: 'Fuori dal perimetro della campagna' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Escludi 3 azioni' }));
    await vi.waitFor(() => expect(exclude).toHaveBeenCalledWith(expect.objectContaining({ body: { nodes: ['C1.1', 'C1.2', 'C1.3'], reason: 'Fuori dal perimetro della campagna' } })));
    // Unchecked, every leaf is back.
    fireEvent.click(screen.getByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ }));
    expect(await screen.findByRole('table', { name: /5 azioni/ })).toBeInTheDocument();
  });

  it('is offered to the RPCT only', async () => {
    h.session = testSession('director', { units: ['AD2'] });
    mockApi({});
    renderPage();
    await screen.findByRole('table', { name: /4 azioni/ });
    expect(screen.queryByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ })).not.toBeInTheDocument();
  });
});

describe('campaign pages', () => {
  // 120 leaves: three pages of 50, 50 and 20; every third one approved.
  const many = Array.from({ length: 120 }, (_, i) => leaf(`C1.${i + 1}`, { state: i % 3 === 2 ? 'approved' : 'draft', parent: `C${Math.floor(i / 10)}` }));
  const code = (i: number) => `C1.${i + 1}`;
  let search = '';
  function Spy() {
    search = useLocation().search;
    return null;
  }
  function renderMany(path = '/campagna') {
    const f = fakeApi({
      'GET /api/v1/cycles/:cycle/leaves': (o) => (o.query?.to_sign ? { total: 0, items: [] } : { total: many.length, items: many }),
      'POST /api/v1/cycles/:cycle/exclusions': () => ({ items: [] }),
    });
    vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
    render(
      <MemoryRouter initialEntries={[path]}>
        <CampaignPage />
        <Spy />
      </MemoryRouter>,
    );
    return f;
  }
  const shownCodes = () =>
    within(screen.getByRole('table'))
      .getAllByRole('rowheader')
      .map((th) => th.textContent);
  const pager = () => screen.getByRole('navigation', { name: 'Pagine delle azioni' });

  it('shows 50 leaves a page, with the page in the URL and a pager that says where it is', async () => {
    h.session = testSession('rpct');
    renderMany();
    expect(await screen.findByRole('table', { name: /120 azioni, nell'ordine della mappa; pagina 1 di 3/ })).toBeInTheDocument();
    expect(shownCodes()).toEqual(many.slice(0, 50).map((l) => l.code));
    expect(within(pager()).getByRole('button', { name: 'Pagina 1' })).toHaveAttribute('aria-current', 'page');
    expect(within(pager()).getByRole('button', { name: 'Pagina precedente' })).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(within(pager()).getByRole('button', { name: 'Pagina successiva' }));
    expect(shownCodes()).toEqual(many.slice(50, 100).map((l) => l.code));
    expect(search).toBe('?pagina=2');
    expect(within(pager()).getByRole('button', { name: 'Pagina 2' })).toHaveAttribute('aria-current', 'page');
    expect(within(pager()).getByRole('button', { name: 'Pagina 1' })).not.toHaveAttribute('aria-current');
    fireEvent.click(within(pager()).getByRole('button', { name: 'Pagina 3' }));
    expect(shownCodes()).toEqual(many.slice(100).map((l) => l.code));
    expect(within(pager()).getByText('Pagina 3 di 3')).toBeInTheDocument();
    expect(within(pager()).getByRole('button', { name: 'Pagina successiva' })).toHaveAttribute('aria-disabled', 'true');
  });

  it('opens the page of a shared link, and a filter goes back to the first page', async () => {
    h.session = testSession('rpct');
    renderMany('/campagna?pagina=3');
    await screen.findByRole('table', { name: /pagina 3 di 3/ });
    expect(shownCodes()[0]).toBe(code(100));
    // approved leaves hidden: 80 leaves, two pages, from the first
    fireEvent.click(screen.getByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ }));
    expect(await screen.findByRole('table', { name: /80 azioni.*pagina 1 di 2/ })).toBeInTheDocument();
    expect(search).toBe('');
    expect(shownCodes()[0]).toBe(code(0));
  });

  it('keeps the selection across pages and applies a bulk tool to all of it', async () => {
    h.session = testSession('rpct');
    const f = renderMany();
    await screen.findByRole('table', { name: /pagina 1 di 3/ });
    fireEvent.click(screen.getByRole('checkbox', { name: `Seleziona ${code(0)} Azione ${code(0)}` }));
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent(/^1 azione selezionata$/);
    // the header's checkbox selects the page shown, nothing more
    fireEvent.click(within(pager()).getByRole('button', { name: 'Pagina 2' }));
    const pageBox = screen.getByRole('checkbox', { name: 'Seleziona le azioni di questa pagina' });
    expect(pageBox).not.toBeChecked();
    fireEvent.click(pageBox);
    expect(pageBox).toBeChecked();
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent("51 azioni selezionate (1 in un'altra pagina)");
    expect(screen.getByText(/La selezione vale su tutte le pagine dell'elenco filtrato/)).toBeInTheDocument();
    // back on page 1 the first choice is still checked, the page is not wholly selected
    fireEvent.click(within(pager()).getByRole('button', { name: 'Pagina 1' }));
    expect(screen.getByRole('checkbox', { name: `Seleziona ${code(0)} Azione ${code(0)}` })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: `Seleziona ${code(1)} Azione ${code(1)}` })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Seleziona le azioni di questa pagina' })).not.toBeChecked();
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent('51 azioni selezionate (50 in altre pagine)');
    // the bulk tool takes the whole selection, in map order, whatever the page shown
    fireEvent.click(screen.getByRole('button', { name: 'Escludi le selezionate' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Motivazione dell'esclusione/ }), { target: { value: 'Azioni soppresse dal nuovo regolamento' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Escludi 51 azioni' }));
    await vi.waitFor(() => {
      const post = f.calls.find((c) => c.op === 'POST /api/v1/cycles/:cycle/exclusions');
      expect(post?.opts.body).toEqual({ nodes: [code(0), ...many.slice(50, 100).map((l) => l.code)], reason: 'Azioni soppresse dal nuovo regolamento' });
    });
  });

  it('selects the whole filtered list in one click, and a filter drops the leaves it hides', async () => {
    h.session = testSession('rpct');
    renderMany();
    await screen.findByRole('table', { name: /pagina 1 di 3/ });
    fireEvent.click(screen.getByRole('button', { name: "Seleziona tutte le 120 azioni dell'elenco" }));
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent('120 azioni selezionate (70 in altre pagine)');
    expect(screen.getByRole('checkbox', { name: 'Seleziona le azioni di questa pagina' })).toBeChecked();
    expect(screen.queryByRole('button', { name: /^Seleziona tutte le/ })).not.toBeInTheDocument();
    // hiding the approved leaves takes them out of the selection: what is selected is what is listed
    fireEvent.click(screen.getByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ }));
    expect(await screen.findByText('80 azioni selezionate (30 in altre pagine)')).toBeInTheDocument();
    // shown again, they stay unselected (16 of them on page 1)
    fireEvent.click(screen.getByRole('checkbox', { name: /Solo le azioni che impediscono il consolidamento/ }));
    expect(await screen.findByText('80 azioni selezionate (46 in altre pagine)')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: `Seleziona ${code(2)} Azione ${code(2)}` })).not.toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: 'Annulla la selezione' }));
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent(/^0 azioni selezionate$/);
    expect(screen.getByRole('button', { name: 'Escludi le selezionate' })).toBeDisabled();
  });

  it('opens a copy on the page of its source, where its siblings are', async () => {
    h.session = testSession('rpct');
    renderMany(`/campagna?copia=${code(104)}`);
    await screen.findByRole('table', { name: /pagina 3 di 3/ });
    fireEvent.click(screen.getByRole('button', { name: `Seleziona le 9 azioni sorelle di ${code(104)}` }));
    expect(screen.getByRole('checkbox', { name: `Seleziona ${code(100)} Azione ${code(100)}` })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: `Seleziona ${code(104)} Azione ${code(104)}` })).not.toBeChecked();
    expect(screen.getByTestId('campaign-selected')).toHaveTextContent(/^9 azioni selezionate$/);
  });
});

describe('bulk preview', () => {
  it('says what a link does and why a target is skipped', () => {
    render(
      <BulkPreview
        id="p"
        outcome={{ dry_run: true, applied: 0, skipped: 1, targets: [{ node: 'A', action: 'link', measures_linked: 2 }, { node: 'B', action: 'skip', code: 'already_linked' }] }}
      />,
    );
    const [, a, b] = screen.getAllByRole('row');
    expect(a).toHaveTextContent('La misura tratterà 2 rischi.');
    expect(b).toHaveTextContent('Saltata');
    expect(b).toHaveTextContent('Tutti i rischi sono già trattati da questa misura.');
  });
});
