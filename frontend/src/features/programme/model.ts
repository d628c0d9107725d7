// The programme of general measures: the form's draft and its local checks (the server checks again).
import type { ProgrammeMeasure } from '../../api/schema.gen';
import type { FieldErrors } from '../../components/FormKit';

export interface ProgrammeDraft {
  id?: string;
  version: number;
  code: string;
  general_code: string;
  type: string;
  title: string;
  description: string;
  legal_basis: string;
  unit: string;
  owner: string;
  start: string;
  end: string;
  status: NonNullable<ProgrammeMeasure['status']>;
  phases: Array<{ title: string; deadline: string }>;
  indicators: Array<{ name: string; baseline: string; target: string }>;
  areas: string;
  processes: string;
  cost_note: string;
  enabling_factors: string[];
}

export const statuses = ['new', 'existing_confirmed', 'modified', 'dropped'] as const;

/** Splits a list of codes typed with commas, semicolons or spaces. */
export function codes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

export function draftOf(m?: ProgrammeMeasure): ProgrammeDraft {
  return {
    id: m?.id,
    version: m?.version ?? 0,
    code: m?.code ?? '',
    general_code: m?.general_code ?? '',
    type: m?.type ?? '',
    title: m?.title ?? '',
    description: m?.description ?? '',
    legal_basis: m?.legal_basis ?? '',
    unit: m?.unit ?? '',
    owner: m?.owner ?? '',
    start: m?.start ?? '',
    end: m?.end ?? '',
    status: m?.status ?? 'new',
    phases: (m?.phases ?? []).map((p) => ({ title: p.title ?? '', deadline: p.deadline ?? '' })),
    indicators: (m?.indicators ?? []).map((i) => ({ name: i.name ?? '', baseline: i.baseline ?? '', target: i.target ?? '' })),
    areas: (m?.areas ?? []).join(', '),
    processes: (m?.processes ?? []).join(', '),
    cost_note: m?.cost_note ?? '',
    enabling_factors: [...(m?.enabling_factors ?? [])],
  };
}

export function bodyOf(d: ProgrammeDraft): ProgrammeMeasure {
  const { id: _id, areas, processes, ...rest } = d;
  void _id;
  return { ...rest, areas: codes(areas), processes: codes(processes) };
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(s).getTime());

/** Local checks, keyed by the API's field paths so the server's 422 lands on the same fields. */
export function checkDraft(d: ProgrammeDraft): FieldErrors {
  const e: FieldErrors = {};
  if (!d.code.trim()) e.code = 'required';
  else if (/[\s/\\?#%]/.test(d.code) || d.code.length > 32) e.code = 'code_invalid';
  if (!d.title.trim()) e.title = 'required';
  if ([...d.cost_note].length > 4000) e.cost_note = 'too_long';
  if (d.start && !isDate(d.start)) e.start = 'date_invalid';
  if (d.end && !isDate(d.end)) e.end = 'date_invalid';
  if (!e.start && !e.end && d.start && d.end && d.end < d.start) e.end = 'end_before_start';
  d.phases.forEach((p, i) => {
    if (!p.title.trim()) e[`phases[${i}].title`] = 'required';
    if (p.deadline && !isDate(p.deadline)) e[`phases[${i}].deadline`] = 'date_invalid';
  });
  d.indicators.forEach((ind, i) => {
    if (!ind.name.trim()) e[`indicators[${i}].name`] = 'required';
  });
  return e;
}

/** The field of the form an API path names: areas[2] and processes[0] land on their text boxes, enabling_factors[1]
 * on the group of factors. */
export function fieldOf(path: string): string {
  const m = /^(areas|processes|enabling_factors)\[\d+\]$/.exec(path);
  return m ? m[1] : path;
}
