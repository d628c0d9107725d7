import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { ApiError } from '../../api/client';
import {
  checkBody,
  checkKey,
  defaultDate,
  drawnSeed,
  filterMeasures,
  indicatorRows,
  outdatedChecks,
  planBody,
  planDraft,
  planFieldOf,
  sampleReasonText,
  seedValid,
  selfAssessmentBody,
  statusBadgeClass,
  statuses,
  statusKey,
  summaryOf,
  uploadProblem,
  validateCheck,
  validatePlan,
  validateSelfAssessment,
  type MonitoringEntry,
  type Round,
  type RoundMeasure,
  type RoundView,
} from './model';

const t = i18n.getFixedT('it', 'monitoring');
const entry = (over: Partial<MonitoringEntry> = {}): MonitoringEntry => ({
  measure_id: 'm1', status: 'attuata', reason: '', indicator_values: [], notes: '', assessed_by: 'u', check_outcome: '', check_notes: '', suitability: '', suitability_reason: '', checked_by: '', ...over,
});
const measure = (over: Partial<RoundMeasure> = {}): RoundMeasure => ({ id: 'm1', leaf: 'A1', title: 'Misura', type: 'T01', unit: 'SG', end: '2026-12-31', entry: null, sampled: false, overdue: false, evidence: [], ...over });

describe('labels', () => {
  it('names every status and the missing self-assessment in Italian', () => {
    expect(statuses.map((s) => t(statusKey(entry({ status: s }))))).toEqual([
      'Non avviata', 'In corso nei tempi', 'In ritardo', 'Parzialmente attuata', 'Attuata', 'Non attuata', 'Non più applicabile',
    ]);
    expect(t(statusKey(null))).toBe('Da rilevare');
    expect(t(statusKey(entry({ status: 'sconosciuto' })))).toBe('Da rilevare');
  });

  it('names the check: none without self-assessment, pending, then the outcome', () => {
    expect(t(checkKey(null))).toBe('Nessuna autovalutazione');
    expect(t(checkKey(entry()))).toBe('Da controllare');
    expect(t(checkKey(entry({ check_outcome: 'integrazioni_richieste' })))).toBe('Integrazioni richieste');
    expect(t(checkKey(entry({ check_outcome: 'non_confermato' })))).toBe('Non confermato');
  });

  it('colours are a second channel: implemented green, late amber, not started red, none neutral', () => {
    expect(statusBadgeClass('attuata')).toContain('bg-success');
    expect(statusBadgeClass('in_ritardo')).toContain('bg-warning');
    expect(statusBadgeClass('non_avviata')).toContain('bg-danger');
    expect(statusBadgeClass(undefined)).toContain('bg-light');
  });
});

describe('self-assessment validation', () => {
  const base = { status: 'attuata', reason: '', notes: '', indicators: [] };
  it('needs a status', () => {
    expect(validateSelfAssessment({ ...base, status: '' })).toEqual({ status: 'status_required' });
  });
  it('needs no reason for an implemented measure', () => {
    expect(validateSelfAssessment(base)).toEqual({});
  });
  it('needs a reason of at least 10 characters for any other status', () => {
    expect(validateSelfAssessment({ ...base, status: 'in_ritardo' })).toEqual({ reason: 'reason_required' });
    expect(validateSelfAssessment({ ...base, status: 'non_piu_applicabile', reason: ' breve   ' })).toEqual({ reason: 'reason_short' });
    expect(validateSelfAssessment({ ...base, status: 'in_ritardo', reason: 'fornitore in ritardo' })).toEqual({});
  });
  it('asks the value reached of each planned indicator of an implemented measure, not of others', () => {
    const indicators = indicatorRows([{ name: 'pratiche verificate', target: '20%' }, { name: '' }], [{ name: 'vecchio', value: '3' }]);
    expect(indicators.map((r) => r.name)).toEqual(['pratiche verificate', 'vecchio']);
    expect(validateSelfAssessment({ ...base, indicators })).toEqual({ 'indicator-0': 'value_required' });
    expect(validateSelfAssessment({ ...base, status: 'in_corso_nei_tempi', reason: 'avviata a marzo', indicators })).toEqual({});
    const long = [{ name: 'x', target: '1', value: 'a'.repeat(201) }];
    expect(validateSelfAssessment({ ...base, indicators: long })).toEqual({ 'indicator-0': 'value_long' });
  });
  it('keeps recorded values and sends only the filled ones, trimmed', () => {
    const rows = indicatorRows([{ name: 'tasso', target: '90%' }, { name: 'tempo', target: '30 gg' }], [{ name: 'tasso', value: '85%' }]);
    expect(rows[0].value).toBe('85%');
    rows[1].value = '  ';
    expect(selfAssessmentBody({ status: 'attuata', reason: ' ', notes: ' n ', indicators: rows })).toEqual({
      status: 'attuata', reason: '', notes: 'n', indicator_values: [{ name: 'tasso', value: '85%' }],
    });
  });
});

describe('check validation', () => {
  const ok = { check_outcome: 'confermato', check_notes: '', suitability: 'idonea', suitability_reason: '' };
  it('accepts a plain confirmation of a suitable measure', () => expect(validateCheck(ok)).toEqual({}));
  it('needs an outcome and a suitability', () => {
    expect(validateCheck({ ...ok, check_outcome: '', suitability: '' })).toEqual({ check_outcome: 'outcome_required', suitability: 'suitability_required' });
  });
  it('needs notes when not confirmed and a reason when not fully suitable', () => {
    expect(validateCheck({ ...ok, check_outcome: 'integrazioni_richieste', suitability: 'non_idonea' })).toEqual({
      check_notes: 'check_notes_required', suitability_reason: 'suitability_reason_required',
    });
  });
});

describe('sample reasons', () => {
  it('says in Italian why a measure was drawn, nothing when it was not', () => {
    expect(sampleReasonText(t, { sampled: true, sample_reason: 'high_risk' })).toBe('Tratta un rischio di livello alto');
    expect(sampleReasonText(t, { sampled: true, sample_reason: 'overdue' })).toBe('Scaduta e non attuata');
    expect(sampleReasonText(t, { sampled: true, sample_reason: 'random', sample_stratum: 'AD1 / A1' })).toBe('Estratta a caso tra le misure di AD1 / A1');
    expect(sampleReasonText(t, { sampled: true })).toBe('Estratta a caso');
    expect(sampleReasonText(t, { sampled: false, sample_reason: 'random' })).toBe('');
  });
});

describe('plan validation', () => {
  const d = { frequency: 'semestrale', reference_dates: ['2026-12-31', '2026-06-30'], sampling_criteria: '', sample_percent: '20', sample_high_risk: true, sample_overdue: false };
  it('accepts a full plan and sends sorted dates, a number and the criteria', () => {
    expect(validatePlan(d)).toEqual({});
    expect(planBody(d)).toEqual({
      frequency: 'semestrale', reference_dates: ['2026-06-30', '2026-12-31'], sampling_criteria: '', sample_percent: 20, sample_high_risk: true, sample_overdue: false,
    });
  });
  it('reads the criteria of a saved plan, off when absent', () => {
    expect(planDraft({ frequency: 'annuale', reference_dates: [], sampling_criteria: '', sample_percent: 5, sample_overdue: true })).toMatchObject({ sample_high_risk: false, sample_overdue: true });
  });
  it('names each wrong field', () => {
    expect(validatePlan({ ...d, frequency: ' ', reference_dates: ['2026-06-30', '2026-06-30', '30/06/2026'], sample_percent: '150' })).toEqual({
      frequency: 'required', 'date-1': 'date_duplicate', 'date-2': 'date_invalid', sample_percent: 'percent_range',
    });
    expect(validatePlan({ ...d, reference_dates: [''] })).toEqual({ 'date-0': 'dates_required' });
  });
  it('maps the API paths to the form fields', () => {
    expect(planFieldOf('reference_dates[1]')).toBe('date-1');
    expect(planFieldOf('sample_percent')).toBe('sample_percent');
    expect(planFieldOf('other')).toBeUndefined();
  });
});

describe('upload errors', () => {
  const err = (status: number, code: string, extra: object = {}) => new ApiError({ type: 't', title: 'x', status, code, ...extra });
  it('reads the size limit of a 413 from the server', () => {
    expect(uploadProblem(err(413, 'file_too_large', { detail: 'the file is larger than 5 MB' }))).toEqual({ key: 'evidence.errors.too_large', maxMB: 5 });
    expect(uploadProblem(err(413, 'http_413'))).toEqual({ key: 'evidence.errors.too_large', maxMB: undefined });
    expect(t('evidence.errors.too_large', { mb: 5 })).toContain('(5 MB)');
  });
  it('tells a refused type from an empty file', () => {
    expect(uploadProblem(err(422, 'evidence_invalid', { errors: [{ field: 'file', code: 'file_type_refused', message: '' }] })).key).toBe('evidence.errors.type_refused');
    expect(uploadProblem(err(422, 'evidence_invalid', { errors: [{ field: 'file', code: 'file_empty', message: '' }] })).key).toBe('evidence.errors.empty');
    expect(uploadProblem(err(409, 'evidence_duplicate')).key).toBe('evidence.errors.duplicate');
    const nameRefused = uploadProblem(err(422, 'evidence_invalid', { errors: [{ field: 'file', code: 'file_name_refused', message: '' }] }));
    expect(nameRefused.key).toBe('evidence.errors.name_refused');
    expect(t(nameRefused.key)).toContain('Nome di file non ammesso');
    const unavailable = uploadProblem(err(503, 'database_unavailable'));
    expect(unavailable.key).toBe('evidence.errors.unavailable');
    expect(t(unavailable.key)).toContain('riprova');
    expect(uploadProblem(new Error('x')).key).toBe('evidence.errors.generic');
  });
});

describe('rounds and filters', () => {
  const round = (state: string): Round => ({ reference_date: '', state, sample_seed: '0', sample: [], opened_at: '', closed_at: null });
  it('shows the latest open round first, else the latest closed, else the first date', () => {
    expect(defaultDate(['2026-06-30', '2026-12-31'], { '2026-06-30': round('open'), '2026-12-31': null })).toBe('2026-06-30');
    expect(defaultDate(['2026-06-30', '2026-12-31'], { '2026-06-30': round('closed'), '2026-12-31': round('closed') })).toBe('2026-12-31');
    expect(defaultDate(['2026-12-31', '2026-06-30'], {})).toBe('2026-06-30');
    expect(defaultDate([], {})).toBe('');
  });
  it('summarises a round as the list does', () => {
    const v: RoundView = {
      round: round('open'),
      measures: [measure({ id: 'a' }), measure({ id: 'b', entry: entry() }), measure({ id: 'c', entry: entry({ check_outcome: 'confermato' }) })],
      units: {},
    };
    expect(summaryOf(v)).toMatchObject({ state: 'open', measures: 3, self_assessed: 2, checked: 1 });
  });
  it('keeps the seed as text: none before a draw, every digit after', () => {
    expect(drawnSeed({ sample_seed: '0' })).toBe('');
    expect(drawnSeed({ sample_seed: '' })).toBe('');
    expect(drawnSeed({ sample_seed: '9223372036854775807' })).toBe('9223372036854775807');
    expect(['', '1', ' 42 ', '9007199254740993', '9223372036854775807'].every(seedValid)).toBe(true);
    expect(['0', '-1', '1.5', 'dodici', '9223372036854775808', '10000000000000000000'].some(seedValid)).toBe(false);
  });
  it('filters by unit, own units, missing self-assessment, sample and overdue', () => {
    const ms = [measure({ id: 'a', unit: 'SG' }), measure({ id: 'b', unit: 'AD1', entry: entry(), sampled: true }), measure({ id: 'c', unit: 'AD2', overdue: true })];
    const f = { unit: '', status: '', sampledOnly: false, overdueOnly: false };
    const ids = (x: RoundMeasure[]) => x.map((m) => m.id);
    expect(ids(filterMeasures(ms, { ...f, unit: '@mine' }, ['SG', 'AD1']))).toEqual(['a', 'b']);
    expect(ids(filterMeasures(ms, { ...f, unit: 'AD2' }, []))).toEqual(['c']);
    expect(ids(filterMeasures(ms, { ...f, status: 'missing' }, []))).toEqual(['a', 'c']);
    expect(ids(filterMeasures(ms, { ...f, status: 'attuata' }, []))).toEqual(['b']);
    expect(ids(filterMeasures(ms, { ...f, sampledOnly: true }, []))).toEqual(['b']);
    expect(ids(filterMeasures(ms, { ...f, overdueOnly: true }, []))).toEqual(['c']);
  });
});

describe('outdated checks', () => {
  it('sends the version of the self-assessment checked, and counts the checks it outdated', () => {
    const d = { check_outcome: 'confermato', check_notes: '', suitability: 'idonea', suitability_reason: '' };
    expect(checkBody(d, 3)).toEqual({ ...d, self_version: 3 });
    expect(checkBody(d)).not.toHaveProperty('self_version');
    const v: RoundView = {
      round: { reference_date: '2026-06-30', state: 'open', sample_seed: '0', sample: [], opened_at: '2026-06-01T08:00:00Z', closed_at: null },
      measures: [
        measure({ id: 'a', entry: entry({ check_outcome: 'confermato', self_version: 2, checked_version: 1, check_outdated: true }) }),
        measure({ id: 'b', entry: entry({ check_outcome: 'confermato', self_version: 1, checked_version: 1, check_outdated: false }) }),
      ],
      units: {},
    };
    expect(outdatedChecks(v)).toBe(1);
    expect(summaryOf(v).outdated_checks).toBe(1);
  });
});
