import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { pna2013, pna2019 } from '../test/methodology';
import { HowComputed } from './HowComputed';

afterEach(cleanup);

describe('"Come è calcolato" beside a level', () => {
  it('explains a qualitative level: values, the rule of the profile, the matrix cell', async () => {
    render(
      <HowComputed
        profile={pna2019}
        score={{ likelihood: 3, likelihood_label: 'Alto', impact: 2, impact_label: 'Medio', computed_level: 'alto', level: 'alto', rank: 3, overridden: false, cell: [3, 2] }}
        judgement={{ values: [{ code: 'KRI-1', value: 3 }, { code: 'KRI-2', value: 1 }, { code: 'IMP-1', value: 2 }] }}
      />,
    );
    const box = screen.getByTestId('how-computed');
    expect(box).not.toHaveAttribute('open');
    await userEvent.click(screen.getByText('Come è calcolato'));
    expect(box).toHaveTextContent('Probabilità: valori degli indicatori KRI-1 = 3, KRI-2 = 1; regola del profilo: il valore più alto (criterio prudenziale) → 3.');
    expect(box).toHaveTextContent('Impatto: valori degli indicatori IMP-1 = 2');
    expect(box).toHaveTextContent('Cella della matrice: probabilità 3 × impatto 2 → livello Alto.');
    expect(box).toHaveTextContent('Nessuna modifica manuale del livello calcolato.');
  });

  it('explains a numeric level by its product and band, and an override with its reason', () => {
    render(
      <HowComputed
        profile={pna2013}
        score={{ likelihood: 3.5, likelihood_label: 'x', impact: 3, impact_label: 'y', product: 10.5, computed_level: 'medio', level: 'alto', rank: 3, overridden: true, cell: [4, 3] }}
        judgement={{ values: [{ code: 'P1', value: 2 }, { code: 'P2', value: 5 }, { code: 'I1', value: 3 }], override: { level: 'alto', reason: 'Segnalazioni ricevute nel 2025 sul processo' } }}
      />,
    );
    const box = screen.getByTestId('how-computed');
    expect(box).toHaveTextContent('regola del profilo: la media aritmetica delle risposte → 3,5.');
    expect(box).toHaveTextContent('Prodotto P × I = 3,5 × 3 = 10,5 → livello Medio (fascia da 6 a 12).');
    expect(box).toHaveTextContent('Livello scelto dal valutatore: Alto (calcolato: Medio). Motivazione: Segnalazioni ricevute nel 2025 sul processo');
  });

  it('says nothing without a profile', () => {
    const { container } = render(<HowComputed profile={null} score={{ level: 'alto' }} />);
    expect(container).toBeEmptyDOMElement();
  });
});
