import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, type CallOptions } from '../../api/client';
import type { Assessment, Comment, Me } from '../../api/schema.gen';
import { sessionOf, testMe } from '../../test/session';
import AssessmentPage from './AssessmentPage';
import { autosave } from './AssessmentEditor';
import { methodology } from '../../test/methodology';
import { catalogues, leaf, savedAssessment } from './fixtures';

// Loading runs through several mocked requests: allow for a busy machine.
configure({ asyncUtilTimeout: 4000 });

// The session of the test: a user with the allowances the server would compute for their grants.
let me: Me;
vi.mock('../../auth/session', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../auth/session')>()),
  useSession: () => sessionOf(me),
  useCycleCode: () => '2026-2028',
}));

let assessment: Assessment;
let comments: Comment[];
let put: (body: Assessment) => Promise<Assessment>;
let calls: Array<{ op: string; body: unknown }>;
let transition: () => Promise<unknown>;
// The ente's programme of general measures the editor's picker offers.
const programme = [
  { id: 'pm-1', code: 'MG09', general_code: 'MG09', type: 'T06', title: 'Formazione anticorruzione del personale', description: 'Corsi annuali', legal_basis: 'L. 190/2012',
    unit: 'SG', owner: 'Segretario generale', start: '2026-01-01', end: '2026-12-31', phases: [{ title: 'Piano formativo', deadline: '2026-03-31' }],
    indicators: [{ name: 'partecipanti', baseline: '60%', target: '90%' }], areas: [], processes: [], status: 'new', version: 1, links: 0 },
  { id: 'pm-2', code: 'MG99', general_code: '', type: 'T01', title: 'Misura ritirata', status: 'dropped', version: 1, links: 0 },
];

beforeEach(() => {
  assessment = savedAssessment();
  comments = [];
  calls = [];
  autosave.delayMs = 3_600_000; // no save behind a test's back; the autosave test shortens it
  transition = async () => ({ node: 'A1.1.1.0', ok: true, state: 'submitted', version: 5 });
  put = async (body) => ({ ...savedAssessment(), ...body, version: body.version + 1, risks: body.risks, measures: body.measures });
  vi.spyOn(api, 'call').mockImplementation(async (op: string, opts: CallOptions = {}) => {
    calls.push({ op, body: opts.body });
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/nodes/:code':
        return leaf;
      case 'GET /api/v1/cycles/:cycle/nodes/:code/assessment':
        return structuredClone(assessment);
      case 'GET /api/v1/cycles/:cycle/methodology':
        return methodology;
      case 'GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments':
        return { items: comments };
      case 'GET /api/v1/catalogue/risk-events':
        return { items: catalogues.events };
      case 'GET /api/v1/catalogue/enabling-factors':
        return { items: catalogues.factors };
      case 'GET /api/v1/catalogue/measure-types':
        return { items: catalogues.measureTypes };
      case 'GET /api/v1/catalogue/general-measures':
        return { items: catalogues.generalMeasures };
      case 'GET /api/v1/cycles/:cycle/general-measures':
        return programme;
      case 'GET /api/v1/cycles/:cycle/process-map':
        return { units: [{ code: 'SG', title: 'Segretario Generale' }, { code: 'AD1', title: 'Area 1' }], strategic_objectives: [], risk_areas: [{ code: 'M', title: 'Governance' }], nodes: [] };
      case 'PUT /api/v1/cycles/:cycle/nodes/:code/assessment':
        return put(opts.body as Assessment);
      case 'POST /api/v1/cycles/:cycle/methodology/score':
        return assessment.risks[0].inherent_score;
      case 'POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions':
        return transition();
    }
    throw new Error(`unexpected call ${op}`);
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function open() {
  return render(
    <MemoryRouter initialEntries={['/valutazioni/A1.1.1.0']}>
      <Routes>
        <Route path="/valutazioni/:code" element={<AssessmentPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

const fields = (c: HTMLElement) => c.querySelectorAll('input, select, textarea, button[type=submit]');

describe('read-only view', () => {
  it('shows another area’s director the assessment as text, with no form field and why', async () => {
    me = testMe([{ role: 'director', unit: 'AD2' }]);
    const { container } = open();
    expect(await screen.findByTestId('readonly-notice')).toHaveTextContent("Non puoi modificare questa valutazione: l'azione è di un'altra unità organizzativa.");
    expect(fields(container)).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Salva bozza' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Aggiungi un rischio' })).toBeNull();
    const view = screen.getByTestId('assessment-readonly');
    expect(view).toHaveTextContent('Componenti degli organi esercitano pressioni indebite sugli uffici');
    expect(within(view).getByTestId('score-summary')).toHaveTextContent('Livello di rischio: Alto');
    expect(within(view).getByRole('table', { name: 'Rischio 1: valori degli indicatori del rischio inerente' })).toHaveTextContent('3 – Alto');
  });

  it('tells the OIV its role only reads', async () => {
    me = testMe([{ role: 'oiv' }]);
    const { container } = open();
    expect(await screen.findByTestId('readonly-notice')).toHaveTextContent('il tuo ruolo consente solo la consultazione');
    expect(fields(container)).toHaveLength(0);
  });

  it('keeps a submitted assessment read-only for its own director', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    assessment = { ...savedAssessment(), state: 'submitted' };
    const { container } = open();
    expect(await screen.findByTestId('readonly-notice')).toHaveTextContent('è stata inviata al RPCT');
    expect(fields(container)).toHaveLength(0);
  });
});

describe('editor', { timeout: 20000 }, () => {
  it('shows the RPCT’s return comments first when the assessment was returned', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    assessment = { ...savedAssessment(), state: 'returned' };
    comments = [
      { id: 'c1', kind: 'submit', author_name: 'dir1', body: '', created_at: '2026-11-01T10:00:00Z' },
      { id: 'c2', kind: 'return', author_name: 'RPCT', body: 'Motiva meglio KRI-1 con le evidenze.', created_at: '2026-11-02T10:00:00Z' },
    ];
    open();
    const notice = await screen.findByTestId('returned-notice');
    expect(notice).toHaveTextContent('Il RPCT ha restituito la valutazione');
    expect(notice).toHaveTextContent('Motiva meglio KRI-1 con le evidenze.');
    expect(screen.getByRole('button', { name: 'Salva bozza' })).toBeInTheDocument();
  });

  it('labels each indicator and its levels, and saves a partial draft as it is', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    put = async (body) => ({ ...savedAssessment(), ...body, version: body.version + 1, completeness: { complete: false, missing: ['risks[0].inherent.reason'] } });
    open();
    const risk = (await screen.findAllByTestId('risk-entry'))[0];
    const group = within(risk).getByRole('radiogroup', { name: 'KRI-1 – Livello di interesse «esterno»' });
    expect(within(group).getByRole('radio', { name: '3 – Alto: Vantaggio economico significativo' })).toBeChecked();
    const reason = within(risk).getByLabelText('Motivazione del giudizio complessivo');
    await userEvent.clear(reason);
    await userEvent.type(reason, 'Troppo breve');
    expect(screen.getByTestId('save-state')).toHaveTextContent('Modifiche non salvate');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    // What is only incomplete does not stop a draft: it is saved, and the time of the save is shown.
    expect(await screen.findByTestId('editor-notice')).toHaveTextContent('Bozza salvata.');
    expect(screen.queryByTestId('error-summary')).toBeNull();
    expect((calls.find((c) => c.op.startsWith('PUT'))!.body as Assessment).risks[0].inherent.reason).toBe('Troppo breve');
    expect(screen.getByTestId('saved-at')).toHaveTextContent(/^salvato alle \d{2}:\d{2}$/);
    // The completeness lists what is missing, each item a link to its field.
    const panel = screen.getByTestId('completeness');
    expect(panel).toHaveTextContent("Per l'invio manca 1 elemento");
    await userEvent.click(within(panel).getByRole('link', { name: 'Rischio 1, rischio inerente, motivazione del giudizio complessivo' }));
    expect(reason).toHaveFocus();
  });

  it('refuses to save a value present but wrong, with a summary linking to the field', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    open();
    const risk = (await screen.findAllByTestId('risk-entry'))[0];
    const priority = within(risk).getByLabelText('Priorità di trattamento', { exact: false });
    await userEvent.clear(priority);
    await userEvent.type(priority, '1.5');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    const summary = await screen.findByTestId('error-summary');
    expect(summary).toHaveFocus();
    const link = within(summary).getByRole('link', { name: 'Rischio 1, priorità di trattamento: Indica un numero intero da 1 in su, oppure lascia vuoto.' });
    expect(priority).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(link);
    expect(priority).toHaveFocus();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(false);
  });

  it('saves an incomplete draft on submit, then lists what is missing instead of sending it', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    open();
    const risk = (await screen.findAllByTestId('risk-entry'))[0];
    const reason = within(risk).getByLabelText('Motivazione del giudizio complessivo');
    await userEvent.clear(reason);
    await userEvent.type(reason, 'Troppo breve');
    await userEvent.click(screen.getByRole('button', { name: 'Invia al RPCT' }));
    await userEvent.click(await screen.findByRole('button', { name: "Conferma l'invio" }));
    const summary = await screen.findByTestId('error-summary');
    expect(summary).toHaveTextContent('La valutazione non può essere inviata: manca 1 elemento');
    expect(within(summary).getByRole('link', { name: 'Rischio 1, rischio inerente, motivazione del giudizio complessivo: Scrivi una motivazione di almeno 20 caratteri.' })).toBeInTheDocument();
    expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(true);
    expect(calls.some((c) => c.op.includes('transitions'))).toBe(false);
  });

  it('saves the draft by itself after a change, quietly, with the version read', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    open();
    const context = (await screen.findAllByLabelText('Contesto'))[0];
    autosave.delayMs = 50;
    await userEvent.type(context, ' e altro');
    await waitFor(() => expect(screen.getByTestId('save-state')).toHaveTextContent('Tutte le modifiche sono salvate'));
    const puts = calls.filter((c) => c.op.startsWith('PUT')).map((c) => c.body as Assessment);
    expect(puts.length).toBeGreaterThan(0);
    expect(puts[0].version).toBe(3);
    expect(puts[puts.length - 1].risks[0].context).toBe('Contesto iniziale e altro');
    expect(screen.getByTestId('saved-at')).toHaveTextContent(/^salvato alle \d{2}:\d{2}$/);
    expect(screen.queryByTestId('editor-notice')).toBeNull();
  });

  it('shows the server’s list of missing items when it refuses a submission', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    transition = async () => {
      throw new ApiError({ type: 'x', title: 'x', status: 422, code: 'assessment_incomplete', errors: [{ field: 'risks[0].inherent.indicators.KRI-2.reason', code: 'required', message: 'needed' }] });
    };
    open();
    await screen.findAllByTestId('risk-entry');
    await userEvent.click(screen.getByRole('button', { name: 'Invia al RPCT' }));
    await userEvent.click(await screen.findByRole('button', { name: "Conferma l'invio" }));
    const summary = await screen.findByTestId('error-summary');
    expect(summary).toHaveTextContent('La valutazione non può essere inviata: manca 1 elemento');
    expect(within(summary).getByRole('link', { name: /^Rischio 1, rischio inerente, KRI-2, motivazione: / })).toBeInTheDocument();
  });

  it('shows the server’s field errors next to the fields it names', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    put = async () => {
      throw new ApiError({ type: 'x', title: 'x', status: 422, code: 'assessment_invalid', errors: [{ field: 'measures[0].unit', code: 'unit_unknown', message: 'unknown organisational unit "X"' }] });
    };
    open();
    await userEvent.click(await screen.findByRole('button', { name: 'Salva bozza' }));
    const summary = await screen.findByTestId('error-summary');
    expect(within(summary).getByRole('link', { name: 'Misura 1, Unità organizzativa responsabile: Unità organizzativa sconosciuta.' })).toBeInTheDocument();
    expect(screen.getByLabelText('Unità organizzativa responsabile')).toHaveAttribute('aria-invalid', 'true');
  });

  it('suggests the enabling factors of the risks a measure treats, sends the chosen ones, and names an unknown one', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    open();
    const group = await screen.findByRole('group', { name: 'Fattori abilitanti affrontati' });
    expect(within(group).getByText(/Suggeriti dai rischi collegati: FA-b/)).toBeInTheDocument();
    expect(within(group).getByRole('checkbox', { name: /FA-b/ })).not.toBeChecked();
    await userEvent.click(within(group).getByRole('button', { name: 'Seleziona i fattori suggeriti' }));
    expect(within(group).getByRole('checkbox', { name: /FA-b/ })).toBeChecked();
    expect(within(group).queryByRole('button', { name: 'Seleziona i fattori suggeriti' })).toBeNull();
    await userEvent.click(within(group).getByRole('checkbox', { name: /FA-a/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    await waitFor(() => expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(true));
    const sent = calls.find((c) => c.op.startsWith('PUT'))!.body as Assessment;
    expect(sent.measures[0].enabling_factors).toEqual(['FA-b', 'FA-a']);
    put = async () => {
      throw new ApiError({ type: 'x', title: 'x', status: 422, code: 'assessment_invalid', errors: [{ field: 'measures[0].enabling_factors[1]', code: 'enabling_factor_unknown', message: 'x' }] });
    };
    await userEvent.click(within(group).getByRole('checkbox', { name: /FA-a/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    const summary = await screen.findByTestId('error-summary');
    expect(within(summary).getByRole('link', { name: /Misura 1, Fattori abilitanti affrontati/ })).toBeInTheDocument();
  });

  it('on a version conflict keeps the input, shows what changed and overwrites on request', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    let first = true;
    put = async (body) => {
      if (first) {
        first = false;
        assessment = { ...savedAssessment(), version: 4 };
        assessment.risks[0].context = 'Contesto scritto da un collega';
        throw new ApiError({ type: 'x', title: 'Conflict', status: 409, code: 'version_conflict', current_version: 4 });
      }
      return { ...savedAssessment(), ...body, version: body.version + 1 };
    };
    open();
    const context = (await screen.findAllByLabelText('Contesto'))[0];
    await userEvent.clear(context);
    await userEvent.type(context, 'Il mio contesto');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('conflict-changes')).toHaveTextContent('ER-M-01 – Componenti degli organi esercitano pressioni indebite sugli ufficiContesto: testo modificato');
    expect(context).toHaveValue('Il mio contesto');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sovrascrivi con le mie modifiche' }));
    expect(await screen.findByTestId('editor-notice')).toHaveTextContent('Bozza salvata.');
    const puts = calls.filter((c) => c.op.startsWith('PUT')).map((c) => c.body as Assessment);
    expect(puts.map((b) => b.version)).toEqual([3, 4]);
    expect(puts[1].risks[0].context).toBe('Il mio contesto');
    expect(screen.getByTestId('save-state')).toHaveTextContent('Tutte le modifiche sono salvate');
  });

  it('loads the updated version only after a confirmation', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    put = async () => {
      assessment = { ...savedAssessment(), version: 4 };
      assessment.risks[0].context = 'Contesto scritto da un collega';
      throw new ApiError({ type: 'x', title: 'Conflict', status: 409, code: 'version_conflict', current_version: 4 });
    };
    open();
    const context = (await screen.findAllByLabelText('Contesto'))[0];
    await userEvent.type(context, ' e altro');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Carica la versione aggiornata' }));
    expect(context).toHaveValue('Contesto iniziale e altro');
    await userEvent.click(await screen.findByRole('button', { name: 'Sì, carica la versione aggiornata' }));
    await waitFor(() => expect(screen.getAllByLabelText('Contesto')[0]).toHaveValue('Contesto scritto da un collega'));
    expect(screen.getByTestId('save-state')).toHaveTextContent('Tutte le modifiche sono salvate');
  });

  it('saves then submits to the RPCT, and shows the result read-only', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    const { container } = open();
    const context = (await screen.findAllByLabelText('Contesto'))[0];
    await userEvent.type(context, ' aggiornato');
    await userEvent.click(screen.getByRole('button', { name: 'Invia al RPCT' }));
    await userEvent.click(await screen.findByRole('button', { name: "Conferma l'invio" }));
    expect(await screen.findByTestId('submitted-notice')).toHaveTextContent('Valutazione inviata al RPCT.');
    expect(calls.map((c) => c.op).filter((op) => !op.startsWith('GET'))).toEqual(
      expect.arrayContaining(['PUT /api/v1/cycles/:cycle/nodes/:code/assessment', 'POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions']),
    );
    expect(calls.find((c) => c.op.includes('transitions'))?.body).toEqual({ action: 'submit' });
    await waitFor(() => expect(fields(container)).toHaveLength(0));
  });

  it('sends back the ids it loaded, and shows withdrawn measures read-only with date and reason', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    assessment = {
      ...savedAssessment(),
      withdrawn_measures: [
        { id: 'meas-old', key: 'meas-old', nature: 'specific', type: 'T01', title: 'Rotazione degli istruttori', withdrawn_at: '2026-05-04T10:00:00Z', withdrawn_reason: 'Assorbita dal controllo di gestione' },
      ],
    };
    open();
    const withdrawn = await screen.findByTestId('withdrawn-measures');
    expect(withdrawn).toHaveTextContent('Rotazione degli istruttori');
    expect(withdrawn).toHaveTextContent('Ritirata il 4 maggio 2026. Motivo: Assorbita dal controllo di gestione');
    expect(withdrawn.querySelectorAll('input, select, textarea, button')).toHaveLength(0);
    const context = (await screen.findAllByLabelText('Contesto'))[0];
    await userEvent.type(context, ' aggiornato');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    await waitFor(() => expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(true));
    const sent = calls.find((c) => c.op.startsWith('PUT'))!.body as Assessment;
    expect(sent.risks.map((r) => r.id)).toEqual(['risk-1']);
    expect(sent.measures.map((m) => m.id)).toEqual(['meas-1']);
    expect(sent.risks[0].measures).toEqual(['meas-1']);
  });

  it('links a general measure to the ente programme instead of copying it, and can unlink it', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    open();
    const measure = (await screen.findAllByTestId('measure-entry'))[0];
    await userEvent.click(within(measure).getByRole('radio', { name: 'Generale' }));
    const picker = await within(measure).findByLabelText(/Misura del programma dell'ente/);
    // a dropped programme measure is not offered
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Nessuna (misura propria della foglia)', 'MG09 – Formazione anticorruzione del personale']);
    await userEvent.selectOptions(picker, 'pm-1');
    expect(within(measure).getByText(/Collegata alla misura generale del programma/)).toBeInTheDocument();
    expect(within(measure).getByRole('heading', { level: 3 })).toHaveTextContent('Formazione anticorruzione del personale');
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    await waitFor(() => expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(true));
    const sent = calls.find((c) => c.op.startsWith('PUT'))!.body as Assessment;
    expect(sent.measures[0]).toMatchObject({ nature: 'general', programme_measure: 'pm-1', general_code: 'MG09', type: 'T06', title: 'Formazione anticorruzione del personale' });
    expect(calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/general-measures').length).toBeLessThanOrEqual(1);
    await userEvent.selectOptions(picker, '');
    expect(within(measure).queryByText(/Collegata alla misura generale del programma/)).toBeNull();
  });

  it('sends the reason given when removing a saved measure', async () => {
    me = testMe([{ role: 'director', unit: 'SG' }]);
    const a = savedAssessment();
    a.measures.push({ ...a.measures[0], id: 'meas-2', key: 'meas-2', title: 'Formazione del personale' });
    a.risks[0].measures = ['meas-1', 'meas-2'];
    assessment = a;
    open();
    await userEvent.click(await screen.findByRole('button', { name: 'Elimina la misura 2' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Motivo del ritiro (facoltativo)'), 'Assorbita dal piano della formazione');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Elimina' }));
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    await waitFor(() => expect(calls.some((c) => c.op.startsWith('PUT'))).toBe(true));
    const sent = calls.find((c) => c.op.startsWith('PUT'))!.body as Assessment;
    expect(sent.measures.map((m) => m.id)).toEqual(['meas-1']);
    expect(sent.risks[0].measures).toEqual(['meas-1']);
    expect(sent.withdrawn_measures?.map((m) => [m.id, m.withdrawn_reason])).toEqual([['meas-2', 'Assorbita dal piano della formazione']]);
  });

  it('lets a referente save but explains that only the director submits', async () => {
    me = testMe([{ role: 'referente', unit: 'AD1' }]);
    open();
    const submit = await screen.findByRole('button', { name: 'Invia al RPCT' });
    expect(submit).toHaveAttribute('aria-disabled', 'true');
    expect(submit).toHaveAccessibleDescription("L'invio al RPCT spetta al dirigente dell'unità organizzativa: salva la bozza e avvisalo.");
    await userEvent.click(submit);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
