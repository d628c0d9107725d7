// The catalogue screen's rules: its URL (section and risk-event filters), the client-side filtering of the risk
// events, and the checks of the forms, mirroring internal/domain/catalogue.go so most mistakes are named before
// the request.
import type { EnablingFactor, RefItem, RiskEvent } from '../../api/schema.gen';
import { ApiError } from '../../api/client';
import { collator } from '../../lib/format';
import { fold, words } from '../../lib/register/data';

export const sections = ['eventi', 'fattori', 'tipologie', 'misure-generali'] as const;
export type Section = (typeof sections)[number];

export const eventStates = ['da-validare', 'validati'] as const;
export type EventState = (typeof eventStates)[number];

export interface EventFilters {
  q: string;
  /** a risk-area code (the API's parameter name) */
  risk_area: string;
  stato: EventState | '';
}

export const emptyEventFilters: EventFilters = { q: '', risk_area: '', stato: '' };

export function parseSection(sp: URLSearchParams): Section {
  const s = sp.get('sezione') ?? '';
  return (sections as readonly string[]).includes(s) ? (s as Section) : 'eventi';
}

export function parseEventFilters(sp: URLSearchParams): EventFilters {
  const stato = sp.get('stato') ?? '';
  return {
    q: sp.get('q')?.trim() ?? '',
    risk_area: sp.get('risk_area')?.trim() ?? '',
    stato: (eventStates as readonly string[]).includes(stato) ? (stato as EventState) : '',
  };
}

/** The URL with the filters patched in: empty values are dropped, the other parameters (the section) kept. */
export function withEventFilters(sp: URLSearchParams, patch: Partial<EventFilters>): URLSearchParams {
  const next = new URLSearchParams(sp);
  for (const [k, v] of Object.entries(patch)) {
    const value = (v ?? '').trim();
    if (value) next.set(k, value);
    else next.delete(k);
  }
  return next;
}

export function withSection(sp: URLSearchParams, s: Section): URLSearchParams {
  const next = new URLSearchParams(sp);
  if (s === 'eventi') next.delete('sezione');
  else next.set('sezione', s);
  return next;
}

/** The events matching the filters: every word of q in the code or the description (accents and case ignored). */
export function filterEvents(events: RiskEvent[], f: EventFilters): RiskEvent[] {
  const ws = words(f.q);
  return events.filter((e) => {
    if (f.risk_area && !(e.risk_areas ?? []).includes(f.risk_area)) return false;
    if (f.stato === 'da-validare' && !e.to_validate) return false;
    if (f.stato === 'validati' && e.to_validate) return false;
    if (ws.length === 0) return true;
    const text = fold(`${e.code} ${e.description}`);
    return ws.every((w) => text.includes(w));
  });
}

export const byCode = (a: { code?: string }, b: { code?: string }) => collator.compare(a.code ?? '', b.code ?? '');

/**
 * The risk areas to choose from: the process map's (with titles), then any code the events use that the map
 * lacks (without a title), so an event's areas are never hidden nor silently dropped by an edit.
 */
export function areaChoices(mapAreas: RefItem[], events: RiskEvent[]): RefItem[] {
  const out = [...mapAreas];
  const known = new Set(mapAreas.map((a) => a.code));
  const extra = new Set<string>();
  for (const e of events) for (const a of e.risk_areas ?? []) if (!known.has(a)) extra.add(a);
  for (const code of [...extra].sort(collator.compare)) out.push({ code, title: '' });
  return out;
}

// ---- forms ----------------------------------------------------------------------------------------------------

/** Problem codes per form field; the screen turns them into Italian (catalogue:fieldErrors.<code>). */
export type Problems = Record<string, string>;

export const minEventDescription = 15;
export const minFactorDescription = 10;
const eventCodePattern = /^[A-Z0-9][A-Z0-9._-]{1,31}$/;
const factorCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;

export interface EventForm {
  code: string;
  description: string;
  areas: string[];
  source: string;
  /** validated by the RPCT (the API's to_validate is its negation) */
  validated: boolean;
}

export const normalizeEventCode = (c: string) => c.trim().toUpperCase();

export function eventFormOf(e: RiskEvent): EventForm {
  return { code: e.code, description: e.description, areas: [...(e.risk_areas ?? [])], source: e.source ?? '', validated: !e.to_validate };
}

export function validateEventForm(f: EventForm, isNew: boolean): Problems {
  const p: Problems = {};
  if (isNew) {
    const code = normalizeEventCode(f.code);
    if (!code) p.code = 'required';
    else if (!eventCodePattern.test(code)) p.code = 'code_invalid';
  }
  const d = f.description.trim();
  if (!d) p.description = 'required';
  else if ([...d].length < minEventDescription) p.description = 'too_short';
  if (f.areas.length === 0) p.risk_areas = 'required';
  if (!f.source.trim()) p.source = 'required';
  return p;
}

/**
 * The body of a create or an update. The PATCH replaces the whole entry (description, areas, source, to_validate
 * and active), so the caller passes what it read: leaving active out would retire the event.
 */
export function eventBody(f: EventForm, base?: RiskEvent, version?: number): RiskEvent {
  return {
    code: base ? base.code : normalizeEventCode(f.code),
    description: f.description.trim(),
    risk_areas: f.areas,
    source: f.source.trim(),
    to_validate: !f.validated,
    active: base ? (base.active ?? true) : true,
    ...(base ? { version: version ?? base.version } : {}),
  };
}

export interface FactorForm {
  code: string;
  description: string;
  source: string;
}

export function validateFactorForm(f: FactorForm, existing: EnablingFactor[]): Problems {
  const p: Problems = {};
  const code = f.code.trim();
  if (!code) p.code = 'required';
  else if (!factorCodePattern.test(code)) p.code = 'factor_code_invalid';
  else if (existing.some((x) => x.code === code)) p.code = 'enabling_factor_exists';
  const d = f.description.trim();
  if (!d) p.description = 'required';
  else if ([...d].length < minFactorDescription) p.description = 'factor_too_short';
  if (!f.source.trim()) p.source = 'required';
  return p;
}

/** The form field of an API field path ("risk_areas[0]" → risk_areas); the version is no field. */
export function fieldOfPath(path: string): string | undefined {
  const head = path.replace(/^\./, '').split(/[.[]/)[0];
  return ['code', 'description', 'risk_areas', 'source'].includes(head) ? head : undefined;
}

/**
 * The problems of an API error as form problems: the field errors of a 422 (codes renamed by `rename`, e.g. the
 * factor's own wording of too_short) plus the whole-problem codes that belong to a field.
 */
export function problemsOfApi(err: unknown, rename: Record<string, string> = {}): Problems {
  const p: Problems = {};
  if (!(err instanceof ApiError)) return p;
  for (const fe of err.fieldErrors) {
    const field = fe.field ? fieldOfPath(fe.field) : undefined;
    if (field && !p[field]) p[field] = rename[fe.code] ?? fe.code;
  }
  return { ...p, ...fieldOfProblem(err) };
}

/** Errors the API reports as a whole problem but that belong to one field. */
export function fieldOfProblem(err: unknown): Problems {
  if (!(err instanceof ApiError)) return {};
  if (err.code === 'risk_event_exists') return { code: 'risk_event_exists' };
  if (err.code === 'enabling_factor_exists') return { code: 'enabling_factor_exists' };
  return {};
}
