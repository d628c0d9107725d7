// Test data of the assessment feature's tests (imported by *.test.ts(x) only): a reduced PNA 2019 profile,
// a numeric PNA 2013 profile, catalogues, a leaf and a saved assessment.
import type { Assessment, NodeDetail } from '../../api/schema.gen';
import type { Catalogues } from './data';
import type { MethodologyFull, Profile, ScaleLevel } from './model';

const three = (a: string, b: string, c: string): ScaleLevel[] => [
  { value: 1, label: 'Basso', description: a },
  { value: 2, label: 'Medio', description: b },
  { value: 3, label: 'Alto', description: c },
];

export const qualitative: Profile = {
  code: 'pna2019',
  name: 'PNA 2019 – valutazione qualitativa (Allegato 1)',
  kind: 'qualitative',
  likelihood_indicators: [
    { code: 'KRI-1', name: 'Livello di interesse «esterno»', question: 'Il processo comporta interessi rilevanti?', levels: three('Destinatari interni', 'Destinatari esterni', 'Vantaggio economico significativo') },
    { code: 'KRI-2', name: 'Grado di discrezionalità', question: 'Quanto è discrezionale la decisione?', levels: three('Attività vincolata', 'Criteri predeterminati', 'Ampia discrezionalità') },
  ],
  impact_indicators: [{ code: 'IMP-1', name: 'Impatto reputazionale', question: 'Quale danno all’immagine?', levels: three('Risonanza nulla', 'Stampa locale', 'Stampa nazionale') }],
  likelihood_aggregation: 'max',
  impact_aggregation: 'max',
  likelihood_scale: three('', '', ''),
  impact_scale: three('', '', ''),
  risk_levels: [
    { code: 'basso', label: 'Basso', rank: 1 },
    { code: 'medio', label: 'Medio', rank: 2 },
    { code: 'alto', label: 'Alto', rank: 3 },
  ],
  matrix: [
    ['basso', 'basso', 'medio'],
    ['basso', 'medio', 'alto'],
    ['medio', 'alto', 'alto'],
  ],
  indicator_reason_required: true,
};

const zeroToFive = (labels: string[]): ScaleLevel[] => labels.map((label, value) => ({ value, label, description: '' }));

export const numeric: Profile = {
  code: 'pna2013-mean',
  name: 'PNA 2013 – Allegato 5',
  kind: 'numeric',
  likelihood_indicators: [
    { code: 'P1', name: 'Discrezionalità', question: '', levels: [1, 2, 3, 4, 5].map((v) => ({ value: v, label: `Livello ${v}`, description: '' })) },
    { code: 'P2', name: 'Rilevanza esterna', question: '', levels: [{ value: 2, label: 'No', description: '' }, { value: 5, label: 'Sì', description: '' }] },
  ],
  impact_indicators: [{ code: 'I1', name: 'Impatto organizzativo', question: '', levels: [1, 2, 3, 4, 5].map((v) => ({ value: v, label: `Fino al ${v * 20}%`, description: '' })) }],
  likelihood_aggregation: 'mean',
  impact_aggregation: 'mean',
  likelihood_scale: zeroToFive(['Nessuna probabilità', 'Improbabile', 'Poco probabile', 'Probabile', 'Molto probabile', 'Altamente probabile']),
  impact_scale: zeroToFive(['Nessun impatto', 'Marginale', 'Minore', 'Soglia', 'Serio', 'Superiore']),
  risk_levels: qualitative.risk_levels,
  bands: [
    { min: 0, max: 6, level: 'basso' },
    { min: 6, max: 12, level: 'medio' },
    { min: 12, max: 25, level: 'alto' },
  ],
  indicator_reason_required: false,
};

export const methodology: MethodologyFull = { cycle: '2026-2028', profile: qualitative, chosen: true, version: 1 };

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
