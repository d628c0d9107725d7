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
    expect(diffAssessments(base, current, pna2019, t)).toEqual([
      {
        where: 'Rischio 1 (ER-M-01)',
        what: [
          'Contesto: testo modificato',
          'Rischio inerente, KRI-1: da «3 – Alto» a «1 – Basso»',
          'Rischio inerente, KRI-1: motivazione modificata',
          'Decisione: da «Trattare il rischio con nuove misure» a «Mantenere le misure esistenti»',
          'Rischio residuo: valutazione aggiunta',
        ],
      },
      {
        where: 'Misura 1 (Pubblicazione dei verbali)',
        what: ['Data di fine: da «2026-12-31» a «2027-06-30»', 'Fasi di attuazione modificate (prima 1, ora 0)'],
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
      what: ['Stato: da «Bozza» a «Inviata»', 'Aggiunto: Rischio 2 (ER-B-01)', 'Eliminata: Misura 1 (Pubblicazione dei verbali)'],
    });
  });
});
