import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { pna2019 } from '../../test/methodology';
import { documentToApi, newMeasure, newRisk, pathContext, type MeasureDraft, type RiskDraft } from './model';
import { validateAssessment } from './validation';

const t = i18next.t.bind(i18next);

function complete(r: RiskDraft): RiskDraft {
  const values = Object.fromEntries(Object.keys(r.inherent.values).map((c) => [c, { value: 2, reason: `Motivazione ${c}` }]));
  return { ...r, eventCode: 'ER-M-01', inherent: { ...r.inherent, values, reason: 'Giudizio complessivo ben motivato' }, decision: 'keep_existing_measures' };
}

function check(risks: RiskDraft[], measures: MeasureDraft[] = []) {
  const doc = documentToApi(pna2019, 0, risks, measures);
  return validateAssessment(doc, pathContext(doc, risks, measures), pna2019, t, risks);
}

describe('client-side validation', () => {
  it('lets a draft be saved with what is missing, but not with values present and wrong', () => {
    const r = { ...newRisk(pna2019), priority: '1.5' };
    const m: MeasureDraft = { ...newMeasure([]), title: '', start: '2026-06-01', end: '2026-05-01', phases: [{ title: '', start: '', deadline: '' }] };
    const doc = documentToApi(pna2019, 0, [r], [m]);
    const errors = validateAssessment(doc, pathContext(doc, [r], [m]), pna2019, t, [r], 'invalid');
    expect(errors.map((e) => e.path).sort()).toEqual(['measures[0].end', 'risks[0].priority']);
    // Before submitting, the same document lists every missing item too.
    const all = validateAssessment(doc, pathContext(doc, [r], [m]), pna2019, t, [r]).map((e) => e.path);
    expect(all).toEqual(expect.arrayContaining(['risks[0].event_code', 'risks[0].decision', 'measures[0].title', 'measures[0].phases[0].title', 'measures[0].phases[0].deadline']));
  });

  it('accepts a complete risk', () => {
    expect(check([complete(newRisk(pna2019))])).toEqual([]);
  });

  it('asks for the event, every indicator value and reason, the overall reason and the decision, in Italian', () => {
    const errors = check([newRisk(pna2019)]);
    const at = (path: string, indicator?: string, sub?: string) => errors.find((e) => e.path === path && e.indicator === indicator && e.sub === sub)?.message;
    expect(at('risks[0].event_code')).toBe('Scegli un evento dal catalogo oppure «Altro evento» e descrivilo.');
    expect(at('risks[0].inherent.values', 'KRI-1')).toBe('Scegli un valore.');
    expect(at('risks[0].inherent.values', 'KRI-1', 'reason')).toBe('Scrivi la motivazione del valore scelto.');
    expect(at('risks[0].inherent.values', 'IMP-1')).toBe('Scegli un valore.');
    expect(at('risks[0].inherent.reason')).toBe('Scrivi una motivazione di almeno 20 caratteri.');
    expect(at('risks[0].decision')).toBe('Scegli la decisione della ponderazione.');
  });

  it('names the reason of a valued indicator by its position in the document sent', () => {
    const r = complete(newRisk(pna2019));
    r.inherent.values['KRI-2'] = { value: 3, reason: '' };
    expect(check([r])).toEqual([{ path: 'risks[0].inherent.values[1].reason', message: 'Scrivi la motivazione del valore scelto.' }]);
  });

  it('wants an own event described as a behaviour, and the override and its reason', () => {
    const r = { ...complete(newRisk(pna2019)), eventMode: 'own' as const, eventCode: '', eventDescription: 'Troppo breve' };
    r.inherent = { ...r.inherent, override: true, overrideLevel: '', overrideReason: 'corta' };
    const messages = Object.fromEntries(check([r]).map((e) => [e.path, e.message]));
    expect(messages['risks[0].event_description']).toBe("Descrivi l'evento come comportamento, in almeno 15 caratteri.");
    expect(messages['risks[0].inherent.override.level']).toBe('Scegli il livello di rischio.');
    expect(messages['risks[0].inherent.override.reason']).toBe('Scrivi una motivazione di almeno 20 caratteri.');
  });

  it('wants a measure for a risk treated with new measures, and a whole number as priority', () => {
    const r = { ...complete(newRisk(pna2019)), decision: 'treat_new_measures' as const, priority: '1,5' };
    const messages = Object.fromEntries(check([r]).map((e) => [e.path, e.message]));
    expect(messages['risks[0].measures']).toBe('Collega almeno una misura: la decisione è trattare il rischio con nuove misure.');
    expect(messages['risks[0].priority']).toBe('Indica un numero intero da 1 in su, oppure lascia vuoto.');
  });

  it('checks the measures: title, type, dates in order, phases inside the dates, named indicators', () => {
    const m: MeasureDraft = {
      ...newMeasure([]),
      start: '2026-06-01',
      end: '2026-03-01',
      phases: [{ title: '', start: '', deadline: '2027-01-01' }],
      indicators: [{ name: ' ', baseline: '', target: '10' }],
    };
    const messages = Object.fromEntries(check([], [m]).map((e) => [e.path, e.message]));
    expect(messages).toEqual({
      'measures[0].title': 'Scrivi il titolo della misura.',
      'measures[0].type': 'Scegli la tipologia della misura.',
      'measures[0].end': 'La data di fine precede la data di inizio.',
      'measures[0].phases[0].title': 'Scrivi il titolo della fase.',
      'measures[0].phases[0].deadline': 'La scadenza deve cadere tra la data di inizio e la data di fine della misura.',
      'measures[0].indicators[0].name': "Scrivi il nome dell'indicatore.",
    });
    const phased: MeasureDraft = {
      ...newMeasure([]),
      title: 'Rotazione',
      type: 'T03',
      start: '2026-01-01',
      end: '2026-12-31',
      phases: [
        { title: 'Mappatura', start: '2026-03-01', deadline: '2026-02-01' },
        { title: 'Avvio', start: '2025-12-01', deadline: '2026-02-01' },
        { title: 'Verifica', start: '2026-04-01', deadline: '2026-06-30' },
      ],
    };
    expect(Object.fromEntries(check([], [phased]).map((e) => [e.path, e.message]))).toEqual({
      'measures[0].phases[0].deadline': 'La scadenza della fase precede il suo inizio.',
      'measures[0].phases[1].start': 'La scadenza deve cadere tra la data di inizio e la data di fine della misura.',
    });
    const general = { ...newMeasure([]), title: 'Codice', type: 'T03', nature: 'general' as const };
    expect(check([], [general]).map((e) => e.message)).toEqual(['Scegli la misura generale.']);
  });
});
