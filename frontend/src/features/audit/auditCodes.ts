// What the audit trail records: every (entity, action) pair the Go services write (internal/service: calls of
// record(...)), so the screen can name them in Italian and offer them as filters. auditCodes.test.ts reads the Go
// sources and fails when a new pair appears without a translation here and in audit.json.
import type { TFunction } from 'i18next';

export const auditActionsByEntity: Record<string, readonly string[]> = {
  assessment: ['save', 'submit', 'approve', 'return', 'reopen', 'approve_refused_four_eyes', 'comment'],
  cycle: ['set_deadline', 'exclude', 'consolidate', 'adopt', 'publish', 'roll_forward'],
  methodology: ['choose'],
  oiv_note: ['create'],
  process_map: ['created', 'replaced', 'unchanged'],
  catalogue: ['seed'],
  risk_event: ['create', 'update'],
  enabling_factor: ['create'],
  monitoring_plan: ['set'],
  monitoring_round: ['open', 'draw_sample', 'close'],
  monitoring_entry: ['self_assess', 'check'],
  evidence: ['upload', 'remove'],
  user: ['create', 'update_profile', 'grant', 'revoke', 'enable', 'disable', 'reset_password', 'change_password'],
  privileged_request: ['request', 'confirm', 'reject', 'expire'],
  session: ['login', 'refresh', 'logout', 'revoke_reused_refresh_token'],
  ente: ['create'],
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

export function breakReason(t: TFunction, code?: string): string {
  return t(`audit:verify.breaks.${code ?? 'unknown'}`, { defaultValue: t('audit:verify.breaks.unknown') });
}
