import { describe, expect, it } from 'vitest';
import type { Profile } from '../../api/schema.gen';
import { pna2019 } from '../../test/methodology';
import { defaultExamples, draftOf, localProblems, newIndicator, nonMonotoneCells, resizeScale, startFrom, toProfile } from './profileDraft';

const shipped = pna2019 as unknown as Profile;

describe('profile draft', () => {
  it('starts from a shipped profile with the same rules and a code of its own', () => {
    const d = startFrom(shipped, 'ente-2026', 'Metodologia dell’ente');
    expect(d.code).toBe('ente-2026');
    expect(d.matrix).toEqual(shipped.matrix);
    expect(d.likelihood_indicators.map((i) => i.code)).toEqual(['KRI-1', 'KRI-2']);
    expect(d.profile_version).toBeUndefined();
    d.matrix[0][0] = 'alto';
    expect(shipped.matrix?.[0][0]).toBe('basso'); // a copy, not the shipped profile's arrays
  });

  it('grows the likelihood scale: the indicators get the new answer, the matrix a row copying the last', () => {
    const d = resizeScale(draftOf(shipped), 'likelihood', 4);
    expect(d.likelihood_scale.map((l) => l.value)).toEqual([1, 2, 3, 4]);
    expect(d.likelihood_indicators.every((i) => i.levels.length === 4)).toBe(true);
    expect(d.impact_indicators[0].levels).toHaveLength(3);
    expect(d.matrix).toHaveLength(4);
    expect(d.matrix[3]).toEqual(d.matrix[2]);
    expect(nonMonotoneCells(d)).toEqual([]);
  });

  it('shrinks the impact scale: the matrix loses a column', () => {
    const d = resizeScale(draftOf(shipped), 'impact', 2);
    expect(d.matrix.every((row) => row.length === 2)).toBe(true);
    expect(d.impact_indicators[0].levels.map((l) => l.value)).toEqual([1, 2]);
  });

  it('names the cells where the level falls as likelihood or impact grows', () => {
    const d = draftOf(shipped);
    d.matrix[2][2] = 'basso';
    // alto above it and alto on its left: the one cell below them is named once
    expect(nonMonotoneCells(d)).toEqual(['matrix[2][2]']);
  });

  it('sends ranks by order, the matrix of a qualitative profile and no bands', () => {
    const d = draftOf(shipped);
    d.risk_levels = [d.risk_levels[0], d.risk_levels[2]];
    const p = toProfile(d) as unknown as { risk_levels: Array<{ rank: number }>; bands?: unknown; matrix?: unknown };
    expect(p.risk_levels.map((l) => l.rank)).toEqual([1, 2]);
    expect(p.bands).toBeUndefined();
    expect(p.matrix).toBeDefined();
  });

  it('adds an indicator with a free code and one answer per scale value', () => {
    const d = draftOf(shipped);
    const ind = newIndicator(d, 'impact');
    expect(ind.code).toBe('I-1');
    expect(ind.levels.map((l) => l.value)).toEqual([1, 2, 3]);
  });

  it('checks code and name locally, and proposes lowest, middle and highest examples', () => {
    expect(localProblems({ ...draftOf(shipped), code: 'Ente 1', name: ' ' })).toEqual({ code: 'code_invalid', name: 'required' });
    expect(defaultExamples(draftOf(shipped))).toEqual([
      { 'KRI-1': 1, 'KRI-2': 1, 'IMP-1': 1 },
      { 'KRI-1': 2, 'KRI-2': 2, 'IMP-1': 2 },
      { 'KRI-1': 3, 'KRI-2': 3, 'IMP-1': 3 },
    ]);
  });
});
