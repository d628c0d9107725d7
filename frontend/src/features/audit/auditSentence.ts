// A record of the trail as an Italian sentence ("Mario Rossi ha modificato la valutazione di B2.1.2.3:
// probabilità da media ad alta") and, for a saved assessment, the field-level changes from the shared
// comparison of two versions of an assessment (lib/assessmentDiff), with Italian labels.
import type { TFunction } from 'i18next';
import type { AuditRecord } from '../../api/schema.gen';
import { diffAssessments, diffLines, noLookups, type DiffLookups, type LooseAssessment } from '../../lib/assessmentDiff';
import { actionLabel, entityLabel } from './auditCodes';
import { parseJSON } from './auditFilters';

/** A record as the list returns it: with its author's current full name. */
export type AuditItem = AuditRecord & { actor_full_name?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Who did it: the full name, else the username, else the server's operator. */
export function who(t: TFunction, r: AuditItem): string {
  if (r.actor_full_name) return r.actor_full_name;
  if (r.actor_id === 'operator') return t('audit:table.operator');
  return r.actor_name || r.actor_id || t('audit:sentence.someone');
}

/** The object of the sentence: "la valutazione di B2.1.2.3", "la rilevazione al 30/06/2026", or kind and id. */
export function objectOf(t: TFunction, r: AuditItem): string {
  const id = r.entity_id ?? '';
  const parts = id.split('/');
  switch (r.entity) {
    case 'assessment':
      return t('audit:sentence.objects.assessment', { leaf: parts.length > 1 ? parts.slice(1).join('/') : id, cycle: parts.length > 1 ? parts[0] : '' });
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
  if (!isObject(after) || !Array.isArray(after.risks)) return null;
  const base: LooseAssessment = isObject(before) ? (before as LooseAssessment) : { risks: [], measures: [] };
  const d = diffAssessments(base, after as LooseAssessment, t('review:view.otherMeasure'));
  if (!isObject(before)) d.state = null; // a first save: the state was not there before
  return diffLines(t, lookups, d);
}

/** The record as one Italian sentence. */
export function sentence(t: TFunction, r: AuditItem, changes: Array<{ where: string; what: string[] }> | null): string {
  const name = who(t, r);
  const created = r.entity === 'assessment' && r.action === 'save' && !r.before;
  const verb = created
    ? t('audit:sentence.verbs.created')
    : t(`audit:sentence.verbs.${r.action}`, { defaultValue: t('audit:sentence.verbs.other', { action: actionLabel(t, r.action).toLowerCase() }) });
  const object = objectOf(t, r);
  const base = object ? t('audit:sentence.withObject', { who: name, verb, object }) : t('audit:sentence.noObject', { who: name, verb });
  const lines = (changes ?? []).flatMap((c) => c.what);
  if (lines.length === 0 || created) return `${base}.`;
  const first = lines[0];
  return lines.length === 1 ? t('audit:sentence.withChange', { base, change: first }) : t('audit:sentence.withChanges', { base, change: first, count: lines.length - 1 });
}
