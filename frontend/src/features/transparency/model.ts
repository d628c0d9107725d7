// The transparency section: the grid's row draft, ANAC's OIV scores and the civic-access counts' local checks.
import type { CivicAccessCount, PublicationCheck, TransparencyObligation } from '../../api/schema.gen';
import type { FieldErrors } from '../../components/FormKit';

export const obligationFields = ['code', 'section', 'subsection', 'obligation', 'legal_reference', 'content', 'frequency', 'deadline', 'source'] as const;
export type ObligationDraft = Required<Pick<TransparencyObligation, (typeof obligationFields)[number] | 'producing_unit' | 'publishing_unit'>> & { id?: string; version: number };

export function obligationDraft(o?: TransparencyObligation): ObligationDraft {
  return {
    id: o?.id,
    version: o?.version ?? 0,
    code: o?.code ?? '',
    section: o?.section ?? '',
    subsection: o?.subsection ?? '',
    obligation: o?.obligation ?? '',
    legal_reference: o?.legal_reference ?? '',
    content: o?.content ?? '',
    frequency: o?.frequency ?? '',
    deadline: o?.deadline ?? '',
    source: o?.source ?? '',
    producing_unit: o?.producing_unit ?? '',
    publishing_unit: o?.publishing_unit ?? '',
  };
}

export function checkObligation(d: ObligationDraft): FieldErrors {
  const e: FieldErrors = {};
  if (!d.code.trim()) e.code = 'required';
  else if (/[\s/\\?#%]/.test(d.code) || d.code.length > 32) e.code = 'code_invalid';
  if (!d.section.trim()) e.section = 'required';
  if (!d.obligation.trim()) e.obligation = 'required';
  return e;
}

/** The five columns of ANAC's grid: publication is 0 or 2, the others 0 to 3; '' is n/a. */
export const scoreColumns = ['published', 'complete_content', 'complete_offices', 'up_to_date', 'open_format'] as const;
export type ScoreColumn = (typeof scoreColumns)[number];
export const scoreValues = (c: ScoreColumn): number[] => (c === 'published' ? [0, 2] : [0, 1, 2, 3]);

export type ScoreDraft = Record<ScoreColumn, string> & { notes: string };

export function scoreDraft(c?: PublicationCheck | null): ScoreDraft {
  const v = (x?: number | null) => (x === null || x === undefined ? '' : String(x));
  return {
    published: v(c?.published),
    complete_content: v(c?.complete_content),
    complete_offices: v(c?.complete_offices),
    up_to_date: v(c?.up_to_date),
    open_format: v(c?.open_format),
    notes: c?.notes ?? '',
  };
}

/** Local check mirroring the server: an obligation not published scores 0 on the other columns. */
export function checkScores(d: ScoreDraft): FieldErrors {
  const e: FieldErrors = {};
  if (d.published === '0' && scoreColumns.slice(1).some((c) => d[c] !== '' && d[c] !== '0')) e.published = 'inconsistent';
  return e;
}

export function scoreBody(d: ScoreDraft, version: number): PublicationCheck {
  const n = (s: string) => (s === '' ? null : Number(s));
  return {
    published: n(d.published) as PublicationCheck['published'],
    complete_content: n(d.complete_content),
    complete_offices: n(d.complete_offices),
    up_to_date: n(d.up_to_date),
    open_format: n(d.open_format),
    notes: d.notes,
    version,
  };
}

export const accessKinds = ['semplice', 'generalizzato', 'documentale'] as const;

export function checkAccess(c: CivicAccessCount): FieldErrors {
  const e: FieldErrors = {};
  if (!Number.isInteger(c.year) || c.year < 2013 || c.year > 2100) e.year = 'out_of_range';
  for (const k of ['received', 'accepted', 'refused', 'pending'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) e[k] = 'out_of_range';
  }
  if (!e.received && c.accepted + c.refused + c.pending > c.received) e.received = 'inconsistent';
  return e;
}
