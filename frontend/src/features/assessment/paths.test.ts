import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { PathContext } from './model';
import { describePath, fieldIdForPath, indicatorNamed } from './paths';

const ctx: PathContext = {
  risks: [
    { uid: 'r7', own: false, inherent: ['KRI-1', 'KRI-2', 'IMP-1'], residual: [] },
    { uid: 'r9', own: true, inherent: ['KRI-2', 'KRI-1'], residual: ['KRI-1', 'IMP-1'] },
  ],
  measures: [{ uid: 'm3' }],
};
const t = i18next.t.bind(i18next);

describe('API field path → form field id', () => {
  it.each([
    ['risks[0].inherent.values[2].value', 'r7-inh-IMP-1'],
    ['risks[0].inherent.values[1].reason', 'r7-inh-KRI-2-reason'],
    ['risks[1].inherent.values[0].value', 'r9-inh-KRI-2'],
    ['risks[1].residual.values[1].reason', 'r9-res-IMP-1-reason'],
    ['risks[0].inherent.indicators.KRI-2.value', 'r7-inh-KRI-2'],
    ['risks[1].residual.indicators.IMP-1.reason', 'r9-res-IMP-1-reason'],
    ['risks[0].inherent.reason', 'r7-inh-reason'],
    ['risks[0].inherent.override.reason', 'r7-inh-override-reason'],
    ['risks[0].inherent.override.level', 'r7-inh-override-level'],
    ['risks[0].inherent.likelihood_manual', 'r7-inh-lman'],
    ['risks[0].inherent.manual_reason', 'r7-inh-manreason'],
    ['risks[0].event_code', 'r7-event'],
    ['risks[0].event_description', 'r7-event'],
    ['risks[1].event_description', 'r9-event-own'],
    ['risks[0].enabling_factors[1]', 'r7-factors'],
    ['risks[0].decision', 'r7-decision'],
    ['risks[0].priority', 'r7-priority'],
    ['risks[0].measures[0]', 'r7-measures'],
    ['risks[0].measures', 'r7-measures'],
    ['risks[0].inherent', 'r7-inh'],
    ['risks[0]', 'r7'],
    ['measures[0].title', 'm3-title'],
    ['measures[0].general_code', 'm3-general'],
    ['measures[0].strategic_objective', 'm3-objective'],
    ['measures[0].phases[2].deadline', 'm3-ph2-deadline'],
    ['measures[0].indicators[0].name', 'm3-ind0-name'],
    ['measures[0].key', 'm3'],
    ['measures', 'measures'],
  ])('%s → %s', (path, id) => {
    expect(fieldIdForPath(path, ctx)).toBe(id);
  });

  it('points a missing indicator at its radio group (or its reason), named by the server message', () => {
    const message = 'indicator KRI-2 (Grado di discrezionalità del decisore interno alla PA) is not valued';
    expect(indicatorNamed(message)).toBe('KRI-2');
    expect(fieldIdForPath('risks[0].inherent.values', ctx, indicatorNamed(message))).toBe('r7-inh-KRI-2');
    expect(fieldIdForPath('risks[0].inherent.values', ctx, 'KRI-2', 'reason')).toBe('r7-inh-KRI-2-reason');
    expect(fieldIdForPath('risks[0].inherent.values', ctx)).toBe('r7-inh');
  });

  it('has no field for paths outside the form or beyond what was sent', () => {
    expect(fieldIdForPath('version', ctx)).toBeNull();
    expect(fieldIdForPath('risks[5].context', ctx)).toBe('risks');
    expect(fieldIdForPath('measures[4].title', ctx)).toBe('measures');
  });

  it('says where a field is, in Italian, for the error summary', () => {
    expect(describePath('risks[1].residual.values[1].reason', ctx, t)).toBe('Rischio 2, rischio residuo, IMP-1, motivazione');
    expect(describePath('risks[1].residual.indicators.IMP-1.reason', ctx, t)).toBe('Rischio 2, rischio residuo, IMP-1, motivazione');
    expect(describePath('risks[0].inherent.indicators.KRI-2.value', ctx, t)).toBe('Rischio 1, rischio inerente, KRI-2');
    expect(describePath('risks[0].inherent.values', ctx, t, 'KRI-1', 'reason')).toBe('Rischio 1, rischio inerente, KRI-1, motivazione');
    expect(describePath('risks[0].inherent.reason', ctx, t)).toBe('Rischio 1, rischio inerente, motivazione del giudizio complessivo');
    expect(describePath('measures[0].phases[0].deadline', ctx, t)).toBe('Misura 1, scadenza della fase 1');
    expect(describePath('measures[0].unit', ctx, t)).toBe('Misura 1, Unità organizzativa responsabile');
  });
});
