import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../api/schema.gen';
import { pna2013 as profile2013, pna2019 as profile2019 } from '../../test/methodology';
import { cellLevel } from '../../lib/register/data';
import { axisSteps, buildGrid, cellAriaLabel, cellText, levelLabel, type HeatmapResponse } from './grid';

const t = i18next.t.bind(i18next);
const scale = (values: number[]) => values.map((value) => ({ value, label: `L${value}`, description: '' }));

// the shipped profiles (the generated schema types them loosely)
const pna2019 = profile2019 as unknown as Profile;
const pna2013 = profile2013 as unknown as Profile;

// a qualitative 5×5 matrix (five-level scale)
const five = ['molto_basso', 'basso', 'medio', 'alto', 'molto_alto'];
const matrix5 = {
  code: 'custom-5',
  kind: 'qualitative',
  likelihood_scale: scale([1, 2, 3, 4, 5]),
  impact_scale: scale([1, 2, 3, 4, 5]),
  risk_levels: five.map((code, i) => ({ code, label: code, rank: i + 1 })),
  // level index = floor((l + i - 2) / 2)
  matrix: [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((i) => five[Math.floor((l + i - 2) / 2)])),
} as Profile;

describe('heat-map cell level', () => {
  it('reads the 3×3 matrix by likelihood row and impact column', () => {
    expect(cellLevel(pna2019, 1, 1)).toBe('basso');
    expect(cellLevel(pna2019, 1, 3)).toBe('medio');
    expect(cellLevel(pna2019, 3, 1)).toBe('medio');
    expect(cellLevel(pna2019, 2, 3)).toBe('alto');
    expect(cellLevel(pna2019, 3, 3)).toBe('alto');
    expect(cellLevel(pna2019, 4, 1)).toBe('');
    expect(cellLevel(null, 1, 1)).toBe('');
  });

  it('reads a 5×5 matrix', () => {
    expect(cellLevel(matrix5, 1, 1)).toBe('molto_basso');
    expect(cellLevel(matrix5, 5, 5)).toBe('molto_alto');
    expect(cellLevel(matrix5, 4, 2)).toBe('medio');
    expect(cellLevel(matrix5, 2, 5)).toBe('medio');
  });

  it('reads the P×I bands of the 5×5 numeric profile: min inclusive, max exclusive, 25 in the last band', () => {
    expect(cellLevel(pna2013, 1, 5)).toBe('basso'); // 5
    expect(cellLevel(pna2013, 2, 3)).toBe('medio'); // 6
    expect(cellLevel(pna2013, 3, 4)).toBe('alto'); // 12
    expect(cellLevel(pna2013, 4, 5)).toBe('alto'); // 20
    expect(cellLevel(pna2013, 5, 5)).toBe('alto'); // 25
    expect(cellLevel(pna2013, 0, 5)).toBe('basso'); // 0
  });
});

describe('heat-map grid', () => {
  const data: HeatmapResponse = {
    methodology: 'pna2013-mean',
    likelihood_axis: scale([0, 1, 2, 3, 4, 5]),
    impact_axis: scale([0, 1, 2, 3, 4, 5]),
    inherent: [
      { likelihood: 4, impact: 5, count: 3 },
      { likelihood: 1, impact: 1, count: 2 },
    ],
    residual: [{ likelihood: 0, impact: 2, count: 1 }],
  };

  it('draws 5×5 for the numeric profile, with the 0 step only when a risk falls there', () => {
    const g = buildGrid(data, 'inherent', pna2013);
    expect(g.impact.map((s) => s.value)).toEqual([1, 2, 3, 4, 5]);
    expect(g.likelihood.map((s) => s.value)).toEqual([5, 4, 3, 2, 1]); // highest likelihood on top
    expect(g.rows).toHaveLength(5);
    expect(g.rows[1][4]).toEqual({ likelihood: 4, impact: 5, count: 3, level: 'alto' });
    expect(g.rows[4][0]).toEqual({ likelihood: 1, impact: 1, count: 2, level: 'basso' });
    expect(g.rows[0][0].count).toBe(0);
    expect(g.total).toBe(5);
    const r = buildGrid(data, 'residual', pna2013);
    expect(r.likelihood.map((s) => s.value)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(r.impact.map((s) => s.value)).toEqual([1, 2, 3, 4, 5]);
  });

  it('draws 3×3 for the PNA 2019 profile', () => {
    const g = buildGrid({ likelihood_axis: scale([1, 2, 3]), impact_axis: scale([1, 2, 3]), inherent: [{ likelihood: 3, impact: 3, count: 58 }], residual: [] }, 'inherent', pna2019);
    expect(g.rows.map((r) => r.map((c) => c.level))).toEqual([
      ['medio', 'alto', 'alto'],
      ['basso', 'medio', 'alto'],
      ['basso', 'basso', 'medio'],
    ]);
    expect(g.rows[0][2].count).toBe(58);
  });

  it('never drops a risk whose cell is outside the axis', () => {
    expect(axisSteps(scale([1, 2, 3]), [4]).map((s) => s.value)).toEqual([1, 2, 3, 4]);
  });
});

describe('heat-map cell text and label', () => {
  it('writes count and level, and a label naming the cell, the count and the action', () => {
    const cell = { likelihood: 4, impact: 5, count: 3, level: 'alto' };
    const label = levelLabel(t, pna2013, 'alto');
    expect(label).toBe('Alto');
    expect(cellText(t, cell, label)).toBe('3 · Alto');
    expect(cellAriaLabel(t, cell, label)).toBe('3 · Alto. Probabilità 4, impatto 5: 3 rischi, livello alto. Filtra il registro');
    expect(cellAriaLabel(t, { ...cell, count: 1 }, label)).toBe('1 · Alto. Probabilità 4, impatto 5: 1 rischio, livello alto. Filtra il registro');
    expect(levelLabel(t, matrix5, 'molto_alto')).toBe('Molto alto');
    expect(levelLabel(t, pna2019, '')).toBe('non definito');
  });
});
