// The preview (or the result) of a bulk tool: per target leaf, what is created, overwritten or linked, and what
// is skipped with the reason, as a table that reads as sentences.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BulkOutcome, BulkTarget } from '../../api/schema.gen';
import { ListTable } from '../../components/ListTable';

function what(t: TFunction<'campaign'>, x: BulkTarget): string {
  switch (x.action) {
    case 'create':
      return t('preview.create', { risks: x.risks_created ?? 0, created: x.measures_created ?? 0, linked: x.measures_linked ?? 0 });
    case 'overwrite':
      return t('preview.overwrite', {
        oldRisks: x.risks_replaced ?? 0,
        oldMeasures: x.measures_replaced ?? 0,
        risks: x.risks_created ?? 0,
        created: x.measures_created ?? 0,
        linked: x.measures_linked ?? 0,
      });
    case 'link':
      return t('preview.link', { count: x.measures_linked ?? 0 });
    default:
      return t(`preview.skip.${x.code ?? 'unknown'}`, { defaultValue: x.message ?? '' });
  }
}

export function BulkPreview({ outcome, id }: { outcome: BulkOutcome; id: string }) {
  const { t } = useTranslation('campaign');
  const done = !outcome.dry_run;
  const eligible = outcome.targets.length - outcome.skipped;
  return (
    <div data-testid={id}>
      <p role="status">
        {done ? t('preview.applied', { count: outcome.applied, skipped: outcome.skipped }) : t('preview.summary', { count: eligible, skipped: outcome.skipped })}
      </p>
      <ListTable caption={done ? t('preview.resultCaption') : t('preview.caption')} hiddenCaption columns={[t('preview.leaf'), t('preview.outcome')]} className="table-sm">
        {outcome.targets.map((x, i) => (
          <tr key={`${x.node}-${i}`} className={x.action === 'skip' ? 'text-body-secondary' : undefined}>
            <th scope="row">{x.node}</th>
            <td>
              {x.action === 'skip' ? <span className="badge bg-light text-dark border me-1">{t('preview.skipped')}</span> : null}
              {what(t, x)}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
