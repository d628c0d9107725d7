import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { Session } from '../../auth/session';
import { testSession } from '../../test/session';
import MonitoringPage from './MonitoringPage';
import { summaryOf, type MeasureMonitoring, type MonitoringEntry, type RoundView } from './model';

let session: Session;
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useSession: () => session }));
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const plan = { frequency: 'semestrale', reference_dates: ['2026-06-30'], sampling_criteria: 'estrazione casuale', sample_percent: 20 };
const entry: MonitoringEntry = {
  measure_id: 'm-sg', status: 'in_ritardo', reason: 'fornitore in ritardo', indicator_values: [{ name: 'pratiche verificate', value: '10%' }], notes: '',
  assessed_by: 'u', check_outcome: '', check_notes: '', suitability: '', suitability_reason: '', checked_by: '',
};
function round(withEntry = true): RoundView {
  return {
    round: { reference_date: '2026-06-30', state: 'open', sample_seed: '0', sample: [], opened_at: '2026-06-01T08:00:00Z', closed_at: null },
    measures: [
      { id: 'm-sg', leaf: 'A1.1.1.0', title: 'Rotazione del personale', type: 'T02', unit: 'SG', end: '2026-12-31', entry: withEntry ? entry : null, sampled: false, overdue: false, evidence: [] },
      { id: 'm-ad2', leaf: 'C1.1.1.1', title: 'Controlli a campione', type: 'T01', unit: 'AD2', end: '2026-03-31', entry: null, sampled: true, sample_reason: 'overdue', overdue: true, evidence: [] },
    ],
    units: { SG: { measures: 1, missing_self_assessments: withEntry ? 0 : 1, overdue: 0 }, AD2: { measures: 1, missing_self_assessments: 1, overdue: 1 } },
  };
}
const assessment = { version: 3, risks: [], measures: [{ id: 'm-sg', nature: 'specific', type: 'T02', title: 'Rotazione del personale', indicators: [{ name: 'pratiche verificate', baseline: '0%', target: '20%' }] }] };

const history = (id: string): MeasureMonitoring => ({
  cycle: '2026-2028',
  measure: {
    id, title: 'Rotazione del personale', owner: 'Dirigente del personale', unit: 'SG', start: '2026-01-01', end: '2026-12-31',
    phases: [{ title: 'Piano di rotazione', deadline: '2026-04-30' }],
    indicators: [{ name: 'pratiche verificate', baseline: '0%', target: '20%' }],
  },
  leaf: 'A1.1.1.1', leaf_title: 'Relazione previsionale', unit_title: 'Segretario Generale', risk_level: 'alto', monitored: true,
  rounds: [
    { cycle: '2026-2028', measure_id: id, reference_date: '2026-06-30', state: 'open', entry: null, assessed_by_name: '', checked_by_name: '', sampled: true, sample_reason: 'high_risk', overdue: false, evidence: 0 },
    {
      cycle: '2025-2027', measure_id: 'old', reference_date: '2025-12-31', state: 'closed', assessed_by_name: 'Mario Rossi', checked_by_name: 'Anna Bianchi', sampled: false, sample_reason: '', overdue: false, evidence: 2,
      entry: { measure_id: 'old', status: 'attuata', reason: '', indicator_values: [], notes: '', assessed_by: 'u1', check_outcome: 'confermato', check_notes: '', suitability: 'idonea', suitability_reason: '', checked_by: 'u2' },
    },
  ],
});

type Handler = (op: string, opts: { params?: Record<string, string>; body?: unknown }) => unknown;
const notFound = (code: string) => new ApiError({ type: 't', title: 'Not Found', status: 404, code });

const closedRound: RoundView = {
  round: { reference_date: '2025-12-31', state: 'closed', sample_seed: '0', sample: [], opened_at: '2025-12-01T08:00:00Z', closed_at: '2026-01-15T08:00:00Z' },
  measures: [],
  units: {},
};

function serve(opts: { plan?: unknown; round?: RoundView | null; rounds?: RoundView[]; extra?: Handler } = {}) {
  const calls: Array<{ op: string; body?: unknown; params?: Record<string, string> }> = [];
  vi.spyOn(api, 'call').mockImplementation(async (op, o = {}) => {
    calls.push({ op, body: o.body, params: o.params });
    const r = opts.extra?.(op, o as never);
    if (r instanceof Error) throw r;
    if (r !== undefined) return r;
    switch (op) {
      case 'GET /api/v1/cycles/:cycle/monitoring/plan':
        if (opts.plan === null) throw notFound('monitoring_plan_not_found');
        return opts.plan ?? plan;
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds':
        return { items: [...(opts.round === null ? [] : [opts.round ?? round()]), ...(opts.rounds ?? [])].map(summaryOf) };
      case 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date': {
        const all = [...(opts.round === null ? [] : [opts.round ?? round()]), ...(opts.rounds ?? [])];
        const found = all.find((v) => v.round.reference_date === o.params?.date);
        if (!found) throw notFound('round_not_found');
        return found;
      }
      case 'GET /api/v1/cycles/:cycle/nodes/:code/assessment':
        return assessment;
      case 'GET /api/v1/cycles/:cycle/oiv-notes':
        return { items: [] };
      case 'GET /api/v1/cycles/:cycle/monitoring/measures/:measure':
        return history(o.params?.measure ?? '');
    }
    throw new Error(`unexpected ${op}`);
  });
  return calls;
}

const renderPage = () =>
  render(
    <MemoryRouter>
      <MonitoringPage />
    </MemoryRouter>,
  );

async function openMeasure(title: string) {
  const table = await screen.findByTestId('measures-table');
  const row = within(table).getByText(title).closest('tr')!;
  await userEvent.click(within(row).getByRole('button', { name: /Dettagli/ }));
  return screen.findByTestId('measure-panel');
}

describe('monitoring for a read-only user (OIV)', () => {
  it('shows the plan, the round and the measure as text, with no form anywhere', async () => {
    session = testSession('oiv');
    serve();
    renderPage();
    expect(await screen.findByTestId('plan-view')).toHaveTextContent('semestrale');
    expect(screen.getByTestId('plan-view')).toHaveTextContent('30 giugno 2026');
    expect(await screen.findByTestId('round-state')).toHaveTextContent('Aperta');
    expect(screen.getByTestId('units-summary')).toHaveTextContent('Autovalutazioni mancanti: 1 su 2. Misure in ritardo: 1.');
    // the sampled measure says why it was drawn
    expect(screen.getByTestId('sample-reason-m-ad2')).toHaveTextContent('Scaduta e non attuata');
    const panel = await openMeasure('Rotazione del personale');
    expect(within(panel).getByTestId('entry-view')).toHaveTextContent('In ritardo');
    expect(within(panel).getByTestId('entry-view')).toHaveTextContent('pratiche verificate: 10%');
    await waitFor(() => expect(within(panel).getByTestId('entry-view')).toHaveTextContent('obiettivo 20%'));
    // the measure's page: as planned (unit by name, code aside) and its rounds across cycles, people by name
    const hist = await within(panel).findByTestId('measure-history');
    expect(within(hist).getByTestId('measure-owner')).toHaveTextContent('Dirigente del personale');
    expect(within(hist).getByTestId('measure-unit')).toHaveTextContent('Segretario Generale (SG)');
    expect(within(hist).getByTestId('measure-phases')).toHaveTextContent('Piano di rotazione30 aprile 2026');
    expect(within(hist).getByTestId('measure-indicators')).toHaveTextContent('pratiche verificate0%20%');
    expect(within(hist).getByTestId('measure-round-2026-2028-2026-06-30')).toHaveTextContent('Tratta un rischio di livello alto');
    const old = within(hist).getByTestId('measure-round-2025-2027-2025-12-31');
    expect(old).toHaveTextContent('ciclo 2025-2027');
    expect(old).toHaveTextContent('da Mario Rossi');
    expect(old).toHaveTextContent('da Anna Bianchi');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(document.querySelector('form')).toBeNull();
    expect(screen.queryByRole('button', { name: /Estrai il campione|Chiudi la rilevazione|Salva|Carica|Elimina/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Scarica il report (PDF)' })).toBeInTheDocument();
  });
});

describe('the round picker', () => {
  it('counts the specific measures and the programme\'s general measures of the round shown', async () => {
    session = testSession('oiv');
    serve({
      extra: (op) =>
        op === 'GET /api/v1/cycles/:cycle/monitoring/rounds'
          ? { items: [{ ...summaryOf(round()), programme_measures: 3, programme_self_assessed: 2, programme_checked: 1 }] }
          : undefined,
    });
    renderPage();
    expect(await screen.findByTestId('round-counts')).toHaveTextContent(
      'Misure specifiche: autovalutazioni 1 su 2, verifiche del RPCT 0. Misure generali del programma: autovalutazioni 2 su 3, verifiche del RPCT 1.',
    );
  });

  it('lists the cycle\'s rounds and the plan\'s dates, and loads only the round shown', async () => {
    session = testSession('oiv');
    const calls = serve({ rounds: [closedRound] });
    renderPage();
    const pick = await screen.findByTestId('round-pick');
    expect(within(pick).getAllByRole('option').map((o) => o.textContent)).toEqual(['31 dicembre 2025 – chiusa', '30 giugno 2026 – aperta']);
    expect(await screen.findByTestId('round-state')).toHaveTextContent('Aperta');
    const roundCalls = () => calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date').map((c) => c.params?.date);
    expect(roundCalls()).toEqual(['2026-06-30']);
    await userEvent.selectOptions(pick, '2025-12-31');
    await waitFor(() => expect(screen.getByTestId('round-state')).toHaveTextContent('Chiusa'));
    expect(roundCalls()).toEqual(['2026-06-30', '2025-12-31']);
    expect(calls.filter((c) => c.op === 'GET /api/v1/cycles/:cycle/monitoring/rounds')).toHaveLength(1);
  });

  it('offers a planned date with no round as not opened, without asking the server for it', async () => {
    session = testSession('oiv');
    const calls = serve({ plan: { ...plan, reference_dates: ['2026-06-30', '2026-12-31'] } });
    renderPage();
    const pick = await screen.findByTestId('round-pick');
    expect(within(pick).getAllByRole('option').map((o) => o.textContent)).toEqual(['30 giugno 2026 – aperta', '31 dicembre 2026 – non aperta']);
    await userEvent.selectOptions(pick, '2026-12-31');
    expect(await screen.findByTestId('round-not-opened')).toHaveTextContent('31 dicembre 2026');
    expect(calls.some((c) => c.op === 'GET /api/v1/cycles/:cycle/monitoring/rounds/:date' && c.params?.date === '2026-12-31')).toBe(false);
  });
});

describe('monitoring for the RPCT', () => {
  it('draws the sample with a seed kept as text, every digit', async () => {
    session = testSession('rpct');
    const seed = '9007199254740993'; // 2^53 + 1: a JavaScript number would read 9007199254740992
    const calls = serve({
      extra: (op, o) => {
        if (op !== 'POST /api/v1/cycles/:cycle/monitoring/rounds/:date/sample') return undefined;
        const v = round();
        v.round.sample_seed = (o.body as { seed: string }).seed;
        v.round.sample = ['m-ad2'];
        return v;
      },
    });
    renderPage();
    expect(await screen.findByTestId('round-sample-info')).toHaveTextContent('Non ancora estratto');
    await userEvent.click(screen.getByRole('button', { name: 'Estrai il campione' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Seme/), '9223372036854775808');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Estrai' }));
    expect(within(dialog).getByLabelText(/^Seme/)).toHaveAccessibleDescription(expect.stringContaining('al massimo 9223372036854775807'));
    await userEvent.clear(within(dialog).getByLabelText(/^Seme/));
    await userEvent.type(within(dialog).getByLabelText(/^Seme/), seed);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Estrai' }));
    await waitFor(() => expect(screen.getByTestId('round-sample-info')).toHaveTextContent(`seme ${seed}`));
    expect(calls.find((c) => c.op.endsWith('/sample'))?.body).toEqual({ seed });
  });


  it('without a plan says so, offers the plan form and saves it', async () => {
    session = testSession('rpct');
    const calls = serve({ plan: null, round: null, extra: (op, o) => (op === 'PUT /api/v1/cycles/:cycle/monitoring/plan' ? o.body : undefined) });
    renderPage();
    expect(await screen.findByTestId('plan-none')).toHaveTextContent('compilalo per poter aprire le rilevazioni');
    expect(await screen.findByTestId('rounds-none-open')).toHaveTextContent('Nessuna rilevazione aperta: il RPCT la apre dal piano di monitoraggio.');
    await userEvent.click(screen.getByRole('button', { name: 'Salva il piano' }));
    expect(screen.getByLabelText(/^Frequenza/)).toHaveAccessibleDescription(expect.stringContaining('Campo obbligatorio.'));
    expect(calls.some((c) => c.op === 'PUT /api/v1/cycles/:cycle/monitoring/plan')).toBe(false);
    await userEvent.type(screen.getByLabelText(/^Frequenza/), 'semestrale');
    await userEvent.type(screen.getByLabelText(/^Data di riferimento 1/), '2026-06-30');
    await userEvent.type(screen.getByLabelText(/^Percentuale del campione/), '20');
    await userEvent.click(screen.getByLabelText('Tutte le misure scadute e non attuate alla data della rilevazione'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva il piano' }));
    await screen.findByText('Piano di monitoraggio salvato.', { selector: '.alert' });
    expect(calls.find((c) => c.op === 'PUT /api/v1/cycles/:cycle/monitoring/plan')?.body).toEqual({
      frequency: 'semestrale', reference_dates: ['2026-06-30'], sampling_criteria: '', sample_percent: 20, sample_high_risk: false, sample_overdue: true,
    });
    // the plan's date is looked up as a round, not opened yet: the open form suggests it
    await waitFor(() => expect(screen.getByLabelText(/^Data di riferimento della rilevazione/)).toHaveValue('2026-06-30'));
  });

  it('checks a self-assessment, requiring notes when not confirmed', async () => {
    session = testSession('rpct');
    const calls = serve({
      extra: (op, o) => {
        if (op !== 'PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/check') return undefined;
        const v = round();
        v.measures[0].entry = { ...entry, ...(o.body as object) };
        return v;
      },
    });
    renderPage();
    const panel = await openMeasure('Rotazione del personale');
    const form = within(panel).getByTestId('check-form');
    expect(within(panel).queryByTestId('self-assessment-form')).toBeNull();
    await userEvent.click(within(form).getByRole('radio', { name: 'Integrazioni richieste' }));
    await userEvent.click(within(form).getByRole('radio', { name: 'Idonea' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Registra il controllo' }));
    expect(within(form).getByLabelText(/^Note del controllo/)).toHaveAccessibleDescription(expect.stringContaining('Indica all\'unità cosa integrare'));
    await userEvent.type(within(form).getByLabelText(/^Note del controllo/), 'Allegare il verbale dei controlli');
    await userEvent.click(within(form).getByRole('button', { name: 'Registra il controllo' }));
    await within(panel).findByText('Controllo registrato.', { selector: '.alert' });
    expect(calls.find((c) => c.op.endsWith('/check'))).toMatchObject({
      params: { cycle: '2026-2028', date: '2026-06-30', measure: 'm-sg' },
      body: { check_outcome: 'integrazioni_richieste', check_notes: 'Allegare il verbale dei controlli', suitability: 'idonea', suitability_reason: '' },
    });
    expect(within(screen.getByTestId('measures-table')).getByText('Integrazioni richieste')).toBeInTheDocument();
  });

  it('closes the round only after confirming', async () => {
    session = testSession('rpct');
    const calls = serve({
      extra: (op) => {
        if (op !== 'POST /api/v1/cycles/:cycle/monitoring/rounds/:date/close') return undefined;
        const v = round();
        v.round.state = 'closed';
        v.round.closed_at = '2026-07-01T10:00:00Z';
        return v;
      },
    });
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Chiudi la rilevazione' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('non si può annullare');
    expect(calls.some((c) => c.op.endsWith('/close'))).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Chiudi definitivamente' }));
    await waitFor(() => expect(screen.getByTestId('round-state')).toHaveTextContent('Chiusa'));
    expect(screen.queryByRole('button', { name: 'Estrai il campione' })).toBeNull();
  });
});

describe('monitoring for a director', () => {
  it('self-assesses a measure of the unit: a reason is required unless attuata', async () => {
    session = testSession('director', { units: ['SG'] });
    const calls = serve({
      round: round(false),
      extra: (op, o) => {
        if (op !== 'PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure') return undefined;
        const v = round(false);
        v.measures[0].entry = { ...entry, ...(o.body as object) };
        return v;
      },
    });
    renderPage();
    // own units first: the AD2 measure is filtered out
    await screen.findByTestId('measures-table');
    expect(screen.queryByText('Controlli a campione')).toBeNull();
    const panel = await openMeasure('Rotazione del personale');
    const form = await within(panel).findByTestId('self-assessment-form');
    expect(within(panel).queryByTestId('check-form')).toBeNull();
    await userEvent.click(within(form).getByRole('radio', { name: 'Parzialmente attuata' }));
    await userEvent.click(within(form).getByRole('button', { name: "Salva l'autovalutazione" }));
    const reason = within(form).getByLabelText(/^Motivazione/);
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(reason).toHaveAccessibleDescription(expect.stringContaining('la motivazione è obbligatoria'));
    await userEvent.click(within(form).getByRole('radio', { name: 'Attuata' }));
    await userEvent.click(within(form).getByRole('button', { name: "Salva l'autovalutazione" }));
    const value = within(form).getByLabelText(/^Valore rilevato: pratiche verificate/);
    expect(value).toHaveAccessibleDescription(expect.stringContaining('Per una misura attuata indica il valore raggiunto.'));
    expect(value).toHaveAccessibleDescription(expect.stringContaining('Obiettivo: 20%'));
    await userEvent.type(value, '25%');
    await userEvent.click(within(form).getByRole('button', { name: "Salva l'autovalutazione" }));
    await within(panel).findByText('Autovalutazione salvata.', { selector: '.alert' });
    expect(calls.find((c) => c.op === 'PUT /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure')?.body).toEqual({
      status: 'attuata', reason: '', notes: '', indicator_values: [{ name: 'pratiche verificate', value: '25%' }],
    });
  });

  it('uploads evidence and explains a refused size in Italian', async () => {
    session = testSession('director', { units: ['SG'] });
    let attempt = 0;
    serve({
      extra: (op, o) => {
        if (op !== 'POST /api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/evidence') return undefined;
        expect(o.body).toBeInstanceOf(FormData);
        attempt++;
        if (attempt === 1) return new ApiError({ type: 't', title: 'Too large', status: 413, code: 'file_too_large', detail: 'the file is larger than 20 MB' });
        const f = (o.body as FormData).get('file') as File;
        return { id: 'ev1', measure_id: 'm-sg', name: f.name, content_type: 'text/plain; charset=utf-8', size: f.size, sha256: 'x', uploaded_at: '2026-06-10T09:00:00Z' };
      },
    });
    renderPage();
    const panel = await openMeasure('Rotazione del personale');
    const upload = within(panel).getByTestId('evidence-upload-form');
    const input = within(upload).getByLabelText('File da allegare');
    expect(input).toHaveAccessibleDescription(expect.stringContaining('Dimensione massima: 20 MB'));
    await userEvent.click(within(upload).getByRole('button', { name: "Carica l'evidenza" }));
    expect(input).toHaveAccessibleDescription(expect.stringContaining('Scegli un file da allegare.'));
    await userEvent.upload(input, new File(['verbale dei controlli'], 'verbale.txt', { type: 'text/plain' }));
    await userEvent.click(within(upload).getByRole('button', { name: "Carica l'evidenza" }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(expect.stringContaining('supera la dimensione massima consentita (20 MB)')));
    await userEvent.upload(input, new File(['verbale dei controlli'], 'verbale.txt', { type: 'text/plain' }));
    await userEvent.click(within(upload).getByRole('button', { name: "Carica l'evidenza" }));
    const table = await within(panel).findByTestId('evidence-table');
    expect(within(table).getByRole('button', { name: 'Scarica il file verbale.txt' })).toBeInTheDocument();
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(within(panel).queryByText('Sono elencate le evidenze caricate da questa pagina.')).toBeNull();
  });

  it('lists the files the server has for the measure, uploaded from anywhere', async () => {
    session = testSession('director', { units: ['SG'] });
    const v = round();
    v.measures[0].evidence = [
      { id: 'ev1', measure_id: 'm-sg', name: 'verbale.pdf', content_type: 'application/pdf', size: 2048, sha256: 'ab12', uploaded_by: 'u', uploaded_at: '2026-06-10T09:00:00Z' },
      { id: 'ev2', measure_id: 'm-sg', name: 'foto.png', content_type: 'image/png', size: 10, sha256: 'cd34', uploaded_by: 'u', uploaded_at: '2026-06-11T09:00:00Z' },
    ];
    serve({ round: v });
    renderPage();
    const panel = await openMeasure('Rotazione del personale');
    const table = within(panel).getByTestId('evidence-table');
    expect(within(table).getByRole('button', { name: 'Scarica il file verbale.pdf' })).toBeInTheDocument();
    expect(within(table).getByRole('button', { name: 'Scarica il file foto.png' })).toBeInTheDocument();
    expect(within(panel).queryByText('Sono elencate le evidenze caricate da questa pagina.')).toBeNull();
  });

  it('without the server\'s list, says only this page\'s uploads are shown', async () => {
    session = testSession('oiv');
    const v = round();
    delete (v.measures[0] as { evidence?: unknown }).evidence;
    serve({ round: v });
    renderPage();
    const panel = await openMeasure('Rotazione del personale');
    expect(within(panel).getByTestId('evidence-none')).toBeInTheDocument();
    expect(within(panel).getByText('Sono elencate le evidenze caricate da questa pagina.')).toBeInTheDocument();
  });
});

describe('outdated checks and withdrawn measures', () => {
  it('shows a check made before the self-assessment changed as outdated, counted in the round', async () => {
    session = testSession('rpct');
    const v = round();
    v.measures[0] = { ...v.measures[0], entry: { ...entry, check_outcome: 'confermato', suitability: 'idonea', self_version: 2, checked_version: 1, check_outdated: true } };
    serve({ round: v });
    renderPage();
    expect(await screen.findByTestId('round-outdated-checks')).toHaveTextContent('1');
    expect(screen.getByTestId('check-outdated-m-sg')).toHaveTextContent('superata');
    const panel = await openMeasure('Rotazione del personale');
    expect(within(panel).getByTestId('check-outdated')).toHaveTextContent("Superata: l'autovalutazione è cambiata dopo la verifica.");
  });

  it('shows a withdrawn measure\'s history read-only, with no form for it', async () => {
    session = testSession('rpct');
    const v = round();
    v.measures[0] = { ...v.measures[0], withdrawn_at: '2026-05-04T10:00:00Z', withdrawn_reason: 'Assorbita dal controllo di gestione' };
    serve({ round: v });
    renderPage();
    const panel = await openMeasure('Rotazione del personale');
    expect(within(panel).getByTestId('measure-withdrawn')).toHaveTextContent('4 maggio 2026');
    expect(within(panel).getByTestId('measure-withdrawn')).toHaveTextContent('Assorbita dal controllo di gestione');
    expect(within(panel).getByTestId('entry-view')).toHaveTextContent('In ritardo');
    expect(within(panel).queryByRole('radio')).toBeNull();
    expect(within(panel).queryByRole('button', { name: /Salva|Carica/ })).toBeNull();
  });
});
