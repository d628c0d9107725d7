// What the audit trail records: every (entity, action) pair the Go services write (internal/service: calls of
// record(...)), so the screen can name them in Italian and offer them as filters. auditCodes.test.ts reads the Go
// sources and fails when a new pair appears without a translation here and in audit.json.
import type { TFunction } from 'i18next';

export const auditActionsByEntity: Record<string, readonly string[]> = {
  assessment: ['save', 'submit', 'approve', 'return', 'reopen', 'approve_refused_four_eyes', 'comment', 'hand_off', 'withdraw_hand_off', 'set_lead_unit', 'copy', 'link_measure', 'import'],
  cycle: ['set_deadline', 'exclude', 'include', 'consolidate', 'adopt', 'publish', 'roll_forward', 'roll_forward_review', 'granularity'],
  methodology: ['choose', 'correct_wording'],
  methodology_profile: ['create', 'update', 'new_version'],
  oiv_note: ['create'],
  process_map: ['created', 'replaced', 'unchanged', 'reannotated'],
  catalogue: ['seed', 'apply_release'],
  risk_event: ['create', 'update'],
  enabling_factor: ['create'],
  general_measure: ['update_factors'],
  monitoring_plan: ['set'],
  monitoring_round: ['open', 'draw_sample', 'close'],
  monitoring_entry: ['self_assess', 'check'],
  evidence: ['upload', 'remove'],
  user: ['create', 'update_profile', 'grant', 'revoke', 'enable', 'disable', 'reset_password', 'change_password', 'end_sessions', 'enrol_mfa', 'use_recovery_code', 'reset_mfa', 'create_from_sso'],
  privileged_request: ['request', 'confirm', 'reject', 'expire'],
  session: ['login', 'refresh', 'logout', 'revoke_reused_refresh_token', 'end_session'],
  ente: ['create'],
  programme_measure: ['create', 'update', 'delete', 'link_by_code'],
  programme_monitoring: ['self_assess', 'check'],
  transparency_grid: ['seed'],
  transparency_obligation: ['create', 'update', 'delete'],
  publication_check: ['record'],
  civic_access: ['save'],
  sottosezione_context: ['update'],
  sottosezione_objectives: ['update'],
  sottosezione_consultation: ['update'],
  sottosezione_riesame: ['update'],
  sottosezione_self_check: ['update'],
  sottosezione_settings: ['update'],
  process_description: ['update'],
  cycle_calendar: ['update'],
  notification_prefs: ['update'],
  notification_outbox: ['resend'],
  register_import: ['import'],
  register_import_mapping: ['save'],
};

export const auditEntities = Object.keys(auditActionsByEntity);
export const auditActions = [...new Set(Object.values(auditActionsByEntity).flat())];

/** The Italian name of an action code; an unknown code (a newer server) shows as is. */
export function actionLabel(t: TFunction, code?: string): string {
  if (!code) return '';
  return t(`audit:actions.${code}`, { defaultValue: code });
}

export function entityLabel(t: TFunction, code?: string): string {
  if (!code) return '';
  return t(`audit:entities.${code}`, { defaultValue: code });
}

/**
 * The Italian name of a top-level field of a record's before/after: the entity's own name for it when the same
 * code means something else elsewhere (audit.json fieldsOf, e.g. a programme measure's status is its
 * programming state), else the shared one (fields). Every field the Go services can record has one
 * (internal/service/testdata/audit_fields.txt, checked by auditCodes.test.ts); an unknown field (a newer
 * server) shows as is.
 */
export function fieldLabel(t: TFunction, field: string, entity?: string): string {
  const shared = t(`audit:fields.${field}`, { defaultValue: field });
  return entity ? t(`audit:fieldsOf.${entity}.${field}`, { defaultValue: shared }) : shared;
}

export function breakReason(t: TFunction, code?: string): string {
  return t(`audit:verify.breaks.${code ?? 'unknown'}`, { defaultValue: t('audit:verify.breaks.unknown') });
}
