import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { RiskEvent } from '../../api/schema.gen';
import {
  areaChoices,
  eventBody,
  filterEvents,
  parseEventFilters,
  parseSection,
  problemsOfApi,
  validateEventForm,
  validateFactorForm,
  withEventFilters,
  withSection,
  type EventForm,
} from './catalogueRules';

const ev = (code: string, description: string, risk_areas: string[], to_validate = true): RiskEvent => ({ code, description, risk_areas, source: 'ARGINE_SEED', to_validate, active: true, version: 1 });
const events = [
  ev('ER-A-01', 'Il dirigente inserisce requisiti «personalizzati» nel bando', ['A']),
  ev('ER-B-01', 'Il RUP frammenta l’affidamento per eludere la gara', ['B'], false),
  ev('ER-N-01', 'Il funzionario concede un contributo senza verifica dei requisiti', ['N', 'D']),
];

describe('catalogue URL', () => {
  it('reads the section and the filters, ignoring unknown values', () => {
    expect(parseSection(new URLSearchParams('sezione=fattori'))).toBe('fattori');
    expect(parseSection(new URLSearchParams('sezione=altro'))).toBe('eventi');
    expect(parseEventFilters(new URLSearchParams('risk_area=B-bis&stato=validati&q=%20gara%20'))).toEqual({ risk_area: 'B-bis', stato: 'validati', q: 'gara' });
    expect(parseEventFilters(new URLSearchParams('stato=boh'))).toEqual({ risk_area: '', stato: '', q: '' });
  });

  it('writes filters without empty values and keeps the section', () => {
    const sp = withEventFilters(new URLSearchParams('sezione=eventi&q=old'), { risk_area: 'A', q: '' });
    expect(sp.toString()).toBe('sezione=eventi&risk_area=A');
    expect(withSection(new URLSearchParams('risk_area=A'), 'tipologie').toString()).toBe('risk_area=A&sezione=tipologie');
    expect(withSection(new URLSearchParams('sezione=fattori&q=x'), 'eventi').toString()).toBe('q=x');
  });
});

describe('filtering the events', () => {
  it('filters by area, state and every word of the text, ignoring case and accents', () => {
    expect(filterEvents(events, { q: '', risk_area: 'D', stato: '' }).map((e) => e.code)).toEqual(['ER-N-01']);
    expect(filterEvents(events, { q: '', risk_area: '', stato: 'validati' }).map((e) => e.code)).toEqual(['ER-B-01']);
    expect(filterEvents(events, { q: '', risk_area: '', stato: 'da-validare' }).map((e) => e.code)).toEqual(['ER-A-01', 'ER-N-01']);
    expect(filterEvents(events, { q: 'REQUISITI dirigente', risk_area: '', stato: '' }).map((e) => e.code)).toEqual(['ER-A-01']);
    expect(filterEvents(events, { q: 'er-b', risk_area: '', stato: '' }).map((e) => e.code)).toEqual(['ER-B-01']);
  });

  it("offers the map's areas, then codes used by events that the map lacks", () => {
    expect(areaChoices([{ code: 'A', title: 'Personale' }, { code: 'B', title: 'Contratti' }], events)).toEqual([
      { code: 'A', title: 'Personale' },
      { code: 'B', title: 'Contratti' },
      { code: 'D', title: '' },
      { code: 'N', title: '' },
    ]);
  });
});

describe('risk event form', () => {
  const ok: EventForm = { code: 'er-z-01', description: 'Il dipendente altera le graduatorie', areas: ['A'], source: 'ENTE', validated: true };

  it('checks a new event as the server would', () => {
    expect(validateEventForm(ok, true)).toEqual({});
    expect(validateEventForm({ ...ok, code: '', description: ' corta ', areas: [], source: ' ' }, true)).toEqual({
      code: 'required',
      description: 'too_short',
      risk_areas: 'required',
      source: 'required',
    });
    expect(validateEventForm({ ...ok, code: '-X' }, true)).toEqual({ code: 'code_invalid' });
    expect(validateEventForm({ ...ok, code: 'ER A 01' }, true)).toEqual({ code: 'code_invalid' });
    // an edit does not check the code, which cannot change
    expect(validateEventForm({ ...ok, code: '' }, false)).toEqual({});
  });

  it('sends the whole entry on an update, keeping it active, at the version given', () => {
    const base = ev('ER-A-01', 'x', ['A']);
    expect(eventBody(ok)).toEqual({ code: 'ER-Z-01', description: 'Il dipendente altera le graduatorie', risk_areas: ['A'], source: 'ENTE', to_validate: false, active: true });
    expect(eventBody({ ...ok, validated: false }, base, 4)).toEqual({
      code: 'ER-A-01',
      description: 'Il dipendente altera le graduatorie',
      risk_areas: ['A'],
      source: 'ENTE',
      to_validate: true,
      active: true,
      version: 4,
    });
    expect(eventBody(ok, base).version).toBe(1);
  });

  it('maps API problems to fields', () => {
    const invalid = new ApiError({
      type: 't',
      title: 'x',
      status: 422,
      code: 'risk_event_invalid',
      errors: [
        { field: 'risk_areas', code: 'reference_unknown', message: '' },
        { field: 'version', code: 'required', message: '' },
      ],
    });
    expect(problemsOfApi(invalid)).toEqual({ risk_areas: 'reference_unknown' });
    expect(problemsOfApi(new ApiError({ type: 't', title: 'x', status: 409, code: 'risk_event_exists' }))).toEqual({ code: 'risk_event_exists' });
    const factor = new ApiError({ type: 't', title: 'x', status: 422, code: 'enabling_factor_invalid', errors: [{ field: 'description', code: 'too_short', message: '' }] });
    expect(problemsOfApi(factor, { too_short: 'factor_too_short' })).toEqual({ description: 'factor_too_short' });
  });
});

describe('enabling factor form', () => {
  it('accepts lower-case codes and refuses a code already listed', () => {
    const existing = [{ code: 'FA-a', description: 'mancanza di controlli', source: 'PNA2019_ALL1' }];
    expect(validateFactorForm({ code: 'FA-i', description: 'scarsa formazione', source: 'ENTE' }, existing)).toEqual({});
    expect(validateFactorForm({ code: 'FA-a', description: 'breve', source: '' }, existing)).toEqual({ code: 'enabling_factor_exists', description: 'factor_too_short', source: 'required' });
    expect(validateFactorForm({ code: 'F', description: 'scarsa formazione', source: 'ENTE' }, existing)).toEqual({ code: 'factor_code_invalid' });
  });
});
