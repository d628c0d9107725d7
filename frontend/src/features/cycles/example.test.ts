import { describe, expect, it } from 'vitest';
import { pna2013, pna2019 } from '../../test/methodology';
import type { Profile } from '../../api/schema.gen';
import { aggregate, workedExample } from './example';

describe('worked example of a profile', () => {
  it('applies the aggregation rules as the server does', () => {
    expect(aggregate('max', [1, 3, 2], false)).toBe(3);
    expect(aggregate('mean', [1, 2], false)).toBe(2); // 1.5 rounded half up
    expect(aggregate('mean', [2, 5], true)).toBe(3.5);
    expect(aggregate('mode', [1, 3, 1, 3], false)).toBe(3); // a tie goes to the higher value
  });

  it('reads a qualitative level in the matrix', () => {
    const ex = workedExample(pna2019 as unknown as Profile)!;
    expect(ex.likelihood).toEqual([
      { code: 'KRI-1', value: 3 },
      { code: 'KRI-2', value: 1 },
    ]);
    expect(ex.l).toBe(3); // max
    expect(ex.level).toBe(pna2019.matrix![ex.l - 1][ex.i - 1]);
  });

  it('reads a numeric level in the bands of P × I', () => {
    const ex = workedExample(pna2013 as unknown as Profile)!;
    expect(ex.l).toBe(3.5); // mean of 5 and 2
    expect(ex.product).toBe(ex.l * ex.i);
    expect(ex.level).toBe(ex.product! < 6 ? 'basso' : ex.product! < 12 ? 'medio' : 'alto');
  });
});
