// How much a leaf's assessment still lacks, as text ("Completa", "3 elementi mancanti"): the lists of leaves
// show it beside the state, so a director sees what is left.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { LeafStatus } from '../api/schema.gen';

type LeafCompleteness = Pick<LeafStatus, 'state' | 'complete' | 'missing_count'>;

/** The text and class CompletenessText shows, for a list that resolves its labels once instead of mounting a
 * translator per row (the register's rows, issue #19). `t` is the common namespace's. */
export function completenessView(t: TFunction, leaf: LeafCompleteness): { className?: string; text: string } {
  if (leaf.state === 'none') return { className: 'text-body-secondary', text: t('completeness.notStarted') };
  if (leaf.complete) return { text: t('completeness.complete') };
  return { className: 'text-danger-emphasis', text: t('completeness.missing', { count: leaf.missing_count }) };
}

export function CompletenessText({ leaf }: { leaf: LeafCompleteness }) {
  const { t } = useTranslation();
  const v = completenessView(t, leaf);
  return <span className={v.className}>{v.text}</span>;
}
