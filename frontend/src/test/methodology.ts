// Test data shared by the features' tests (imported by *.test.ts(x) only): the shipped methodology profiles, reduced
// to a few indicators: PNA 2019 (qualitative, 3×3 matrix) and PNA 2013 Allegato 5 (numeric, bands of P×I), and the
// cycle's methodology as GET /cycles/:cycle/methodology returns it.
import type { MethodologyFull, Profile, ScaleLevel } from '../features/assessment/model';

const three = (a: string, b: string, c: string): ScaleLevel[] => [
  { value: 1, label: 'Basso', description: a },
  { value: 2, label: 'Medio', description: b },
  { value: 3, label: 'Alto', description: c },
];

export const pna2019: Profile = {
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

export const pna2013: Profile = {
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
  risk_levels: pna2019.risk_levels,
  bands: [
    { min: 0, max: 6, level: 'basso' },
    { min: 6, max: 12, level: 'medio' },
    { min: 12, max: 25, level: 'alto' },
  ],
  indicator_reason_required: false,
};

export const methodology: MethodologyFull = { cycle: '2026-2028', profile: pna2019, chosen: true, version: 1 };
