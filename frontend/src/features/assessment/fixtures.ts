// Test data of the assessment feature's tests (imported by *.test.ts(x) only): catalogues, a leaf and a saved
// assessment (the methodology profiles are in src/test/methodology).
import type { Assessment, NodeDetail } from '../../api/schema.gen';
import type { Catalogues } from './data';

export const catalogues: Catalogues = {
  events: [
    { code: 'ER-M-01', description: 'Componenti degli organi esercitano pressioni indebite sugli uffici', risk_areas: ['M'] },
    { code: 'ER-B-01', description: 'Il RUP frammenta artificiosamente un affidamento', risk_areas: ['B'] },
  ],
  factors: [
    { code: 'FA-a', description: 'mancanza di controlli' },
    { code: 'FA-b', description: 'mancanza di trasparenza' },
  ],
  measureTypes: [
    { code: 'T01', name: 'controllo', example_indicator: 'n. di controlli' },
    { code: 'T02', name: 'trasparenza', example_indicator: 'atto pubblicato' },
  ],
  generalMeasures: [{ code: 'MG01', name: 'Codice di comportamento', legal_basis: 'art. 54 d.lgs. 165/2001', measure_type: 'T03' }],
};

export const leaf: NodeDetail = {
  node: {
    level: 'action',
    code: 'A1.1.1.0',
    parent_code: 'A1.1.1',
    title: 'Programma pluriennale di mandato',
    function: 'Governo camerale',
    units: ['SG', 'AD1'],
    strategic_objectives: ['OS1'],
    risk_areas: ['M'],
    marker: '',
    note: '',
    is_leaf: true,
  },
  ancestors: [{ level: 'macro', code: 'A1', title: 'Performance management', function: '', units: [], strategic_objectives: [], risk_areas: [], marker: '', note: '', is_leaf: false }],
  children: [],
};

const judgement = (v: [number, number, number]) => ({
  values: [
    { code: 'KRI-1', value: v[0], reason: 'Motivazione KRI-1' },
    { code: 'KRI-2', value: v[1], reason: 'Motivazione KRI-2' },
    { code: 'IMP-1', value: v[2], reason: 'Motivazione IMP-1' },
  ],
  reason: 'Giudizio complessivo motivato dalle evidenze',
});

export function savedAssessment(): Assessment {
  return {
    node: 'A1.1.1.0',
    cycle: '2026-2028',
    state: 'draft',
    version: 3,
    level: 'alto',
    updated_at: '2026-11-20T10:00:00Z',
    risks: [
      {
        id: 'risk-1',
        event_code: 'ER-M-01',
        event_description: 'Componenti degli organi esercitano pressioni indebite sugli uffici',
        context: 'Contesto iniziale',
        enabling_factors: ['FA-b'],
        inherent: judgement([3, 2, 2]),
        inherent_score: { likelihood: 3, likelihood_label: 'Alto', impact: 2, impact_label: 'Medio', product: 0, computed_level: 'alto', level: 'alto', rank: 3, overridden: false, cell: [3, 2] },
        decision: 'treat_new_measures',
        priority: 1,
        measures: ['meas-1'],
        residual: null,
      },
    ],
    measures: [
      {
        id: 'meas-1',
        key: 'meas-1',
        nature: 'specific',
        general_code: '',
        type: 'T02',
        title: 'Pubblicazione dei verbali',
        description: '',
        unit: 'SG',
        owner: 'Segreteria',
        start: '2026-02-01',
        end: '2026-12-31',
        phases: [{ title: 'Avvio', deadline: '2026-04-30' }],
        indicators: [{ name: 'verbali pubblicati / verbali', baseline: '0%', target: '100%' }],
        strategic_objective: '',
        status: 'new',
        missing: [],
      },
    ],
  };
}
