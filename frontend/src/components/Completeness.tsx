// How much a leaf's assessment still lacks, as text ("Completa", "3 elementi mancanti"): the lists of leaves
// show it beside the state, so a director sees what is left.
import { useTranslation } from 'react-i18next';
import type { LeafStatus } from '../api/schema.gen';

export function CompletenessText({ leaf }: { leaf: Pick<LeafStatus, 'state' | 'complete' | 'missing_count'> }) {
  const { t } = useTranslation();
  if (leaf.state === 'none') return <span className="text-body-secondary">{t('completeness.notStarted')}</span>;
  if (leaf.complete) return <span>{t('completeness.complete')}</span>;
  return <span className="text-danger-emphasis">{t('completeness.missing', { count: leaf.missing_count })}</span>;
}
