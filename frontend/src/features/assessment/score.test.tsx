import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { pna2013, pna2019 } from '../../test/methodology';
import { emptyJudgement, type JudgementDraft, type Profile } from './model';
import { ScoreSummary, ordinal } from './ScoreView';
import { localScore, readyForServer } from './scoring';

function judge(p: Profile, values: Record<string, number>, extra: Partial<JudgementDraft> = {}): JudgementDraft {
  const j = emptyJudgement(p);
  for (const [code, value] of Object.entries(values)) j.values[code] = { value, reason: `Motivazione di ${code}` };
  return { ...j, reason: 'Giudizio complessivo con le evidenze raccolte', ...extra };
}

afterEach(cleanup);

describe('score display', () => {
  it('shows likelihood and impact with their ordinal labels and the level as Italian text', () => {
    render(<ScoreSummary profile={pna2019} score={{ likelihood: 3, likelihood_label: 'Alto', impact: 1, impact_label: 'Basso', computed_level: 'medio', level: 'medio', rank: 2, overridden: false, cell: [3, 1] }} />);
    const box = screen.getByTestId('score-summary');
    expect(box).toHaveTextContent('Probabilità: 3 – Alto');
    expect(box).toHaveTextContent('Impatto: 1 – Basso');
    expect(box).toHaveTextContent('Livello di rischio: Medio');
    expect(box).not.toHaveTextContent('Prodotto');
  });

  it('says when the level was overridden and what the computed one was', () => {
    render(<ScoreSummary profile={pna2019} score={{ likelihood: 2, likelihood_label: 'Medio', impact: 2, impact_label: 'Medio', computed_level: 'medio', level: 'alto', rank: 3, overridden: true }} />);
    expect(screen.getByTestId('score-summary')).toHaveTextContent('Livello di rischio: Alto (livello calcolato: Medio, modificato con motivazione)');
  });

  it('writes numeric means the Italian way, with the label of the rounded value, and the product', () => {
    render(<ScoreSummary profile={pna2013} score={{ likelihood: 3.5, likelihood_label: 'Molto probabile', impact: 3, impact_label: 'Soglia', product: 10.5, computed_level: 'medio', level: 'medio', rank: 2 }} />);
    const box = screen.getByTestId('score-summary');
    expect(box).toHaveTextContent('Probabilità: 3,5 – Molto probabile');
    expect(box).toHaveTextContent('Prodotto probabilità × impatto: 10,5');
    expect(box).toHaveTextContent('Livello di rischio: Medio');
  });

  it('falls back to the shared level names without a profile', () => {
    render(<ScoreSummary profile={null} score={{ likelihood: 3, likelihood_label: 'Alto', impact: 3, impact_label: 'Alto', level: 'molto_alto' }} />);
    expect(screen.getByTestId('score-summary')).toHaveTextContent('Livello di rischio: Molto alto');
    expect(ordinal(2, '')).toBe('2');
  });
});

describe('local scoring (the server stays the truth)', () => {
  it('takes the highest value on each axis and reads the matrix', () => {
    expect(localScore(pna2019, judge(pna2019, { 'KRI-1': 1, 'KRI-2': 3, 'IMP-1': 1 }))).toMatchObject({ likelihood: 3, likelihood_label: 'Alto', impact: 1, impact_label: 'Basso', level: 'medio', rank: 2, cell: [3, 1] });
  });

  it('waits for every indicator', () => {
    expect(localScore(pna2019, judge(pna2019, { 'KRI-1': 3, 'IMP-1': 1 }))).toBeNull();
  });

  it('applies an override and marks it', () => {
    const s = localScore(pna2019, judge(pna2019, { 'KRI-1': 1, 'KRI-2': 1, 'IMP-1': 1 }, { override: true, overrideLevel: 'alto', overrideReason: 'Motivo della modifica del livello' }));
    expect(s).toMatchObject({ computed_level: 'basso', level: 'alto', overridden: true, rank: 3 });
  });

  it('rounds means half up, breaks mode ties upwards and uses manual values', () => {
    const mean = { ...pna2019, likelihood_aggregation: 'mean' as const };
    expect(localScore(mean, judge(mean, { 'KRI-1': 1, 'KRI-2': 2, 'IMP-1': 1 }))?.likelihood).toBe(2);
    const mode = { ...pna2019, likelihood_aggregation: 'mode' as const };
    expect(localScore(mode, judge(mode, { 'KRI-1': 1, 'KRI-2': 3, 'IMP-1': 1 }))?.likelihood).toBe(3);
    const manual = { ...pna2019, impact_aggregation: 'manual' as const };
    expect(localScore(manual, judge(manual, { 'KRI-1': 1, 'KRI-2': 1, 'IMP-1': 3 }))).toBeNull();
    expect(localScore(manual, judge(manual, { 'KRI-1': 1, 'KRI-2': 1, 'IMP-1': 3 }, { impactManual: 2 }))?.impact).toBe(2);
  });

  it('computes the numeric product and its band, boundaries included in the upper band', () => {
    // P = (1 + 5) / 2 = 3, I = 2: product 6 is the first value of "medio"
    expect(localScore(pna2013, judge(pna2013, { P1: 1, P2: 5, I1: 2 }))).toMatchObject({ likelihood: 3, impact: 2, product: 6, level: 'medio', cell: [3, 2], likelihood_label: 'Probabile' });
    expect(localScore(pna2013, judge(pna2013, { P1: 5, P2: 5, I1: 5 }))).toMatchObject({ product: 25, level: 'alto' });
  });

  it('asks the server only for a judgement it would accept', () => {
    const full = judge(pna2019, { 'KRI-1': 1, 'KRI-2': 1, 'IMP-1': 1 });
    expect(readyForServer(pna2019, full)).toBe(true);
    expect(readyForServer(pna2019, { ...full, reason: 'troppo corta' })).toBe(false);
    expect(readyForServer(pna2019, { ...full, values: { ...full.values, 'KRI-1': { value: 1, reason: ' ' } } })).toBe(false);
    expect(readyForServer(pna2019, { ...full, override: true, overrideLevel: 'alto', overrideReason: '' })).toBe(false);
  });
});
