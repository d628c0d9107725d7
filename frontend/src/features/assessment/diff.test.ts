import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { diffAssessments } from './diff';
import { pna2019 } from '../../test/methodology';
import { savedAssessment } from './fixtures';

const t = i18next.t.bind(i18next);

describe('conflict diff', () => {
  it('is empty when only the version changed', () => {
    const base = savedAssessment();
    expect(diffAssessments(base, { ...savedAssessment(), version: 9 }, pna2019, t)).toEqual([]);
  });

  it('lists what changed in each risk and measure, readably', () => {
    const base = savedAssessment();
    const current = savedAssessment();
    current.version = 4;
    current.risks[0].context = 'Contesto riscritto da un collega';
    current.risks[0].inherent.values[0] = { code: 'KRI-1', value: 1, reason: 'Nuova motivazione' };
    current.risks[0].decision = 'keep_existing_measures';
    current.risks[0].residual = { values: [], reason: 'Residuo valutato nel frattempo' };
    current.measures[0].end = '2027-06-30';
    current.measures[0].phases = [];
    // The shared comparison (lib/assessmentDiff), in words, values as the profile names them.
    expect(diffAssessments(base, current, pna2019, t)).toEqual([
      {
        where: 'ER-M-01 – Componenti degli organi esercitano pressioni indebite sugli uffici',
        what: [
          'Contesto: testo modificato',
          'Rischio inerente: Valore – Livello di interesse «esterno» (KRI-1): da «Alto (3)» a «Basso (1)»',
          'Rischio inerente: Motivazione – Livello di interesse «esterno» (KRI-1): testo modificato',
          'Ponderazione: da «Trattare con nuove misure» a «Mantenere le misure esistenti»',
          'Rischio residuo: valutazione aggiunta',
        ],
      },
      {
        where: 'Pubblicazione dei verbali',
        what: ['Fine: da «31 dicembre 2026» a «30 giugno 2027»', 'Fasi: da «Avvio (30 aprile 2026)» a «Non indicato»'],
      },
    ]);
  });

  it('reports risks and measures added or removed, and a change of state', () => {
    const base = savedAssessment();
    const current = savedAssessment();
    current.state = 'submitted';
    current.measures = [];
    current.risks.push({ ...current.risks[0], id: 'risk-2', event_code: 'ER-B-01' });
    const changes = diffAssessments(base, current, pna2019, t);
    expect(changes[0]).toEqual({
      where: 'Valutazione',
      what: [
        'Stato: da «Bozza» a «Inviata»',
        'Rischio aggiunto: ER-B-01 – Componenti degli organi esercitano pressioni indebite sugli uffici',
        'Misura eliminata: Pubblicazione dei verbali',
      ],
    });
  });
});
