import { describe, expect, it } from 'vitest';
import type { Measure, RiskEntry } from '../api/schema.gen';
import { diffAssessments, isSavedChanges, savedChangesPair, type AssessmentDiff, type LooseAssessment } from './assessmentDiff';

function risk(code: string, over: Partial<RiskEntry> = {}): RiskEntry {
  return {
    event_code: code,
    event_description: `Evento ${code}`,
    context: 'Contesto iniziale',
    enabling_factors: ['FA-a'],
    inherent: { values: [{ code: 'KRI-1', value: 3, reason: 'Motivo KRI-1' }], reason: 'Giudizio' },
    inherent_score: { level: 'alto' },
    decision: 'keep_existing_measures',
    priority: 1,
    measures: [],
    residual: null,
    ...over,
  };
}

function measure(id: string, title: string, over: Partial<Measure> = {}): Measure {
  return { id, key: id, nature: 'specific', type: 'T02', title, unit: 'SG', phases: [], indicators: [], status: 'new', ...over };
}

describe('diffAssessments', () => {
  it('finds nothing between equal contents', () => {
    const a: LooseAssessment = { level: 'alto', risks: [risk('ER-1')], measures: [measure('m1', 'Misura uno')] };
    const d = diffAssessments(a, structuredClone(a));
    expect(d.empty).toBe(true);
    expect(d.level).toBeNull();
  });

  it('lists added and removed risks and measures by their labels', () => {
    const before: LooseAssessment = { risks: [risk('ER-1'), risk('ER-2')], measures: [measure('m1', 'Misura uno')] };
    const after: LooseAssessment = { risks: [risk('ER-1'), risk('ER-3')], measures: [measure('m2', 'Misura due')] };
    const d = diffAssessments(before, after);
    expect(d.risks.added).toEqual(['ER-3 – Evento ER-3']);
    expect(d.risks.removed).toEqual(['ER-2 – Evento ER-2']);
    expect(d.risks.changed).toEqual([]);
    expect(d.measures.added).toEqual(['Misura due']);
    expect(d.measures.removed).toEqual(['Misura uno']);
    expect(d.empty).toBe(false);
  });

  it('names the changed fields of a risk, per indicator, with the level', () => {
    const before: LooseAssessment = { level: 'alto', risks: [risk('ER-1')], measures: [] };
    const after: LooseAssessment = {
      level: 'medio',
      risks: [
        risk('ER-1', {
          context: 'Contesto riscritto',
          inherent: { values: [{ code: 'KRI-1', value: 1, reason: 'Motivo nuovo' }], reason: 'Giudizio' },
          inherent_score: { level: 'medio' },
          decision: 'treat_new_measures',
        }),
      ],
      measures: [],
    };
    const d = diffAssessments(before, after);
    expect(d.level).toEqual({ before: 'alto', after: 'medio' });
    expect(d.risks.changed).toHaveLength(1);
    const changes = d.risks.changed[0].changes;
    expect(changes).toContainEqual({ field: 'context', before: 'Contesto iniziale', after: 'Contesto riscritto' });
    expect(changes).toContainEqual({ field: 'inherent.level', before: 'alto', after: 'medio' });
    expect(changes).toContainEqual({ field: 'inherent.value', code: 'KRI-1', before: '3', after: '1' });
    expect(changes).toContainEqual({ field: 'inherent.valueReason', code: 'KRI-1', before: 'Motivo KRI-1', after: 'Motivo nuovo' });
    expect(changes).toContainEqual({ field: 'decision', before: 'keep_existing_measures', after: 'treat_new_measures' });
    expect(changes.map((c) => c.field)).not.toContain('enabling_factors');
  });

  it('matches a measure saved with a key to the same measure read back with its id, and compares risk links by title', () => {
    // The audit keeps what the editor sent (key "n1", no id); the server answers with ids as keys.
    const before: LooseAssessment = {
      risks: [risk('ER-1', { measures: ['n1'] })],
      measures: [{ key: 'n1', nature: 'specific', type: 'T01', title: 'Controllo a campione', owner: 'Ufficio' }],
    };
    const after: LooseAssessment = {
      risks: [risk('ER-1', { measures: ['0190-abc'] })],
      measures: [measure('0190-abc', 'Controllo a campione', { type: 'T01', owner: 'Dirigente', unit: '' })],
    };
    const d = diffAssessments(before, after);
    expect(d.measures.added).toEqual([]);
    expect(d.measures.removed).toEqual([]);
    expect(d.measures.changed).toEqual([{ label: 'Controllo a campione', index: 0, changes: [{ field: 'owner', before: 'Ufficio', after: 'Dirigente' }] }]);
    expect(d.risks.changed).toEqual([]);
  });

  it('reports changed phases and indicators of a measure', () => {
    const before: LooseAssessment = { risks: [], measures: [measure('m1', 'Misura', { phases: [{ title: 'Avvio', deadline: '2026-04-30' }] })] };
    const after: LooseAssessment = {
      risks: [],
      measures: [measure('m1', 'Misura', { phases: [{ title: 'Avvio', deadline: '2026-05-31' }], indicators: [{ name: 'Controlli', baseline: '0', target: '20%' }] })],
    };
    const [item] = diffAssessments(before, after).measures.changed;
    expect(item.changes).toEqual([
      { field: 'phases', before: ['Avvio|2026-04-30'], after: ['Avvio|2026-05-31'] },
      { field: 'indicators', before: [], after: ['Controlli|0|20%'] },
    ]);
  });

  it('tells apart two risks of the same event by their order, and own events by description', () => {
    const own = (desc: string) => risk('', { event_code: '', event_description: desc });
    const before: LooseAssessment = { risks: [risk('ER-1'), risk('ER-1', { context: 'Secondo' }), own('Evento proprio dell\'ufficio')], measures: [] };
    const after: LooseAssessment = { risks: [risk('ER-1'), risk('ER-1', { context: 'Secondo, rivisto' }), own('Evento  proprio dell\'ufficio')], measures: [] };
    const d = diffAssessments(before, after);
    expect(d.risks.added).toEqual([]);
    expect(d.risks.removed).toEqual([]);
    expect(d.risks.changed).toHaveLength(2);
    expect(d.risks.changed[0].changes).toEqual([{ field: 'context', before: 'Secondo', after: 'Secondo, rivisto' }]);
  });
});

describe('savedChangesPair', () => {
  // Positions are not part of what a save's record keeps: compare the rest.
  const strip = (d: AssessmentDiff) => ({
    state: d.state,
    level: d.level,
    empty: d.empty,
    risks: { added: d.risks.added, removed: d.risks.removed, changed: d.risks.changed.map((c) => ({ label: c.label, changes: c.changes })) },
    measures: { added: d.measures.added, removed: d.measures.removed, changed: d.measures.changed.map((c) => ({ label: c.label, changes: c.changes })) },
  });

  it("reads a save's field-level record as the same changes as the two whole contents", () => {
    const j1 = { values: [{ code: 'KRI-1', value: 3, reason: 'Motivo KRI-1' }], reason: 'Giudizio' };
    const j2 = { values: [{ code: 'KRI-1', value: 2, reason: 'Motivo KRI-1' }], reason: 'Giudizio' };
    const before: LooseAssessment = {
      state: 'returned',
      level: 'alto',
      risks: [risk('ER-1', { id: 'r1', measures: ['m1'], inherent: j1 }), risk('ER-2', { id: 'r2' })],
      measures: [measure('m1', 'Misura uno'), measure('m2', 'Misura due')],
    };
    const added = risk('ER-3', { id: 'r3' });
    const m3 = measure('m3', 'Misura tre');
    const after: LooseAssessment = {
      state: 'draft',
      level: 'medio',
      risks: [risk('ER-1', { id: 'r1', context: 'Nuovo contesto', measures: ['m1', 'm3'], inherent: j2, inherent_score: { level: 'medio' } }), added],
      measures: [measure('m1', 'Misura uno bis'), m3],
    };
    const record = {
      state: 'draft',
      version: 5,
      level: 'medio',
      changes: {
        risks: {
          added: [added],
          removed: [{ id: 'r2', event_code: 'ER-2', event_description: 'Evento ER-2' }],
          changed: [
            {
              id: 'r1',
              event_code: 'ER-1',
              event_description: 'Evento ER-1',
              fields: {
                context: { before: 'Contesto iniziale', after: 'Nuovo contesto' },
                inherent: { before: j1, after: j2 },
                inherent_level: { before: 'alto', after: 'medio' },
                measures: { before: ['m1'], after: ['m1', 'm3'] },
              },
            },
          ],
        },
        measures: {
          added: [m3],
          removed: [{ id: 'm2', title: 'Misura due', nature: 'specific' }],
          changed: [{ id: 'm1', title: 'Misura uno bis', nature: 'specific', fields: { title: { before: 'Misura uno', after: 'Misura uno bis' } } }],
        },
        measure_titles: { m1: 'Misura uno bis', m3: 'Misura tre' },
      },
    };
    expect(isSavedChanges(record)).toBe(true);
    expect(isSavedChanges(after)).toBe(false);
    const pair = savedChangesPair({ state: 'returned', version: 4, level: 'alto' }, record);
    const whole = diffAssessments(before, after);
    expect(whole.risks.changed[0].changes.length).toBeGreaterThan(2);
    expect(strip(diffAssessments(pair.before, pair.after))).toEqual(strip(whole));
  });
});
