// Workflow states and risk levels: always as text, with colour as a second channel only (WCAG 1.4.1).
import { useTranslation } from 'react-i18next';

/** Badge colours of the workflow states ('none': not started yet). */
export const stateClass: Record<string, string> = {
  draft: 'bg-secondary',
  submitted: 'bg-primary',
  approved: 'bg-success',
  returned: 'bg-warning text-dark',
  excluded: 'bg-dark',
  none: 'bg-light text-dark border',
};

/** The classes of a state's badge; grey for an unknown state. Lists of many rows use it with labels resolved once. */
export function stateBadgeClass(state: string): string {
  return `badge ${stateClass[state] ?? 'bg-secondary'}`;
}

export function StateBadge({ state }: { state?: string | null }) {
  const { t } = useTranslation();
  const s = state || 'none';
  return <span className={stateBadgeClass(s)}>{t(`states.${s}`, { defaultValue: s })}</span>;
}

/** Level classes are shared with the heat map (see styles.css: .level-*), each with a text label. */
export function LevelBadge({ level }: { level?: string | null }) {
  const { t } = useTranslation();
  const l = level ?? '';
  return <span className={`badge level-badge level-${l || 'none'}`}>{t(`levels.${l}`, { defaultValue: l })}</span>;
}
