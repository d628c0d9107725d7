// A record of the trail as an Italian sentence ("Mario Rossi ha modificato la valutazione di B2.1.2.3:
// probabilità da media ad alta") and, for a saved assessment, the field-level changes from the shared
// comparison of two versions of an assessment (lib/assessmentDiff), with Italian labels.
import type { TFunction } from 'i18next';
import type { AuditRecord } from '../../api/schema.gen';
import { diffAssessments, diffLines, isSavedChanges, noLookups, savedChangesPair, type DiffLookups, type LooseAssessment } from '../../lib/assessmentDiff';
import { actionLabel, entityLabel } from './auditCodes';
import { parseJSON } from './auditFilters';

/** A record as the list returns it: with its author's current full name. */
export type AuditItem = AuditRecord & { actor_full_name?: string };

/**
 * What turns the codes a record carries into words: a leaf's title, a unit's name (each in the record's cycle),
 * a person's full name by user id, and the cycle's methodology and catalogue for an assessment's values. Every
 * function may answer undefined (not loaded, or not visible to the reader): the code then shows as it is.
 */
export interface AuditNames {
  leaf: (cycle: string, code: string) => string | undefined;
  unit: (cycle: string, code: string) => string | undefined;
  user: (id: string) => string | undefined;
  lookups: (cycle: string) => DiffLookups | undefined;
}

export const noNames: AuditNames = { leaf: () => undefined, unit: () => undefined, user: () => undefined, lookups: () => undefined };

/** The cycle and the rest of an identifier like "2026-2028/B2.1.2.3" (the cycle alone for a cycle record). */
export function cycleOf(r: Pick<AuditItem, 'entity' | 'entity_id'>): string {
  const id = r.entity_id ?? '';
  if (r.entity === 'cycle') return id;
  return id.includes('/') ? id.split('/')[0] : '';
}

/** "B2.1.2.3 – Rilascio di autorizzazioni", or the code alone when the title is not known. */
export function leafText(names: AuditNames, cycle: string, code: string): string {
  const title = names.leaf(cycle, code);
  return title ? `${code} – ${title}` : code;
}

/** "Area 2 – Servizi alle imprese (AD2)": the name first, the code as secondary text. */
export function unitText(names: AuditNames, cycle: string, code: string): string {
  const name = names.unit(cycle, code);
  return name ? `${name} (${code})` : code;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Who did it: the full name, else the username, else the server's operator. */
export function who(t: TFunction, r: AuditItem, names: AuditNames = noNames): string {
  if (r.actor_full_name) return r.actor_full_name;
  const known = r.actor_id ? names.user(r.actor_id) : undefined;
  if (known) return known;
  if (r.actor_id === 'operator') return t('audit:table.operator');
  return r.actor_name || r.actor_id || t('audit:sentence.someone');
}

/** The object of the sentence: "la valutazione di B2.1.2.3 – Titolo", "la rilevazione al 30/06/2026", a person by
 * name, or kind and id. */
export function objectOf(t: TFunction, r: AuditItem, names: AuditNames = noNames): string {
  const id = r.entity_id ?? '';
  const parts = id.split('/');
  switch (r.entity) {
    case 'assessment': {
      const cycle = parts.length > 1 ? parts[0] : '';
      const leaf = parts.length > 1 ? parts.slice(1).join('/') : id;
      return t('audit:sentence.objects.assessment', { leaf: leafText(names, cycle, leaf), cycle });
    }
    case 'user': {
      const name = names.user(id) ?? (id === r.actor_id ? r.actor_full_name : undefined);
      if (name) return name;
      break;
    }
    case 'monitoring_round':
    case 'monitoring_entry':
      return t(`audit:sentence.objects.${r.entity}`, { date: parts[1] ?? id, cycle: parts[0] ?? '' });
    case 'session':
      return '';
  }
  const kind = entityLabel(t, r.entity).toLowerCase();
  return id ? t('audit:sentence.objects.other', { kind, id }) : kind;
}

/** The field-level changes of a saved assessment, in Italian; null for any other record. */
export function assessmentChanges(t: TFunction, r: AuditItem, lookups: DiffLookups = noLookups): Array<{ where: string; what: string[] }> | null {
  if (r.entity !== 'assessment') return null;
  const before = parseJSON(r.before);
  const after = parseJSON(r.after);
  if (isSavedChanges(after)) {
    // A save records what it changed, field by field (older records hold the whole content, below).
    const pair = savedChangesPair(before, after);
    const d = diffAssessments(pair.before, pair.after, t('review:view.otherMeasure'));
    if (!isObject(before)) d.state = null;
    return diffLines(t, lookups, d);
  }
  if (!isObject(after) || !Array.isArray(after.risks)) return null;
  const base: LooseAssessment = isObject(before) ? (before as LooseAssessment) : { risks: [], measures: [] };
  const d = diffAssessments(base, after as LooseAssessment, t('review:view.otherMeasure'));
  if (!isObject(before)) d.state = null; // a first save: the state was not there before
  return diffLines(t, lookups, d);
}

/** What a record says beyond its object, in words: the leaf excluded or readmitted, the lead unit chosen. */
export function detailOf(t: TFunction, r: AuditItem, names: AuditNames = noNames): string {
  const cycle = cycleOf(r);
  const after = parseJSON(r.after);
  const before = parseJSON(r.before);
  if (r.entity === 'cycle' && (r.action === 'exclude' || r.action === 'include')) {
    const node = (isObject(after) && typeof after.node === 'string' && after.node) || (isObject(before) && typeof before.node === 'string' && before.node) || '';
    return node ? leafText(names, cycle, node) : '';
  }
  if (r.entity === 'assessment' && r.action === 'set_lead_unit' && isObject(after) && typeof after.lead_unit === 'string' && after.lead_unit) {
    return t('audit:sentence.leadUnit', { unit: unitText(names, cycle, after.lead_unit) });
  }
  return '';
}

/** The record as one Italian sentence. */
export function sentence(t: TFunction, r: AuditItem, changes: Array<{ where: string; what: string[] }> | null, names: AuditNames = noNames): string {
  const name = who(t, r, names);
  const created = r.entity === 'assessment' && r.action === 'save' && !r.before;
  const verb = created
    ? t('audit:sentence.verbs.created')
    : t(`audit:sentence.verbs.${r.action}`, { defaultValue: t('audit:sentence.verbs.other', { action: actionLabel(t, r.action).toLowerCase() }) });
  const object = objectOf(t, r, names);
  const base = object ? t('audit:sentence.withObject', { who: name, verb, object }) : t('audit:sentence.noObject', { who: name, verb });
  const detail = detailOf(t, r, names);
  if (detail) return t('audit:sentence.withChange', { base, change: detail });
  const lines = (changes ?? []).flatMap((c) => c.what);
  if (lines.length === 0 || created) return `${base}.`;
  const first = lines[0];
  return lines.length === 1 ? t('audit:sentence.withChange', { base, change: first }) : t('audit:sentence.withChanges', { base, change: first, count: lines.length - 1 });
}
