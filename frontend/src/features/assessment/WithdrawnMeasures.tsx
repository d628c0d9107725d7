// Measures withdrawn from the assessment: kept because monitoring, evidence or another assessment refers to
// them, shown read-only with when and why they were withdrawn (the server never lets them be edited again).
import { useTranslation } from 'react-i18next';
import type { Measure } from '../../api/schema.gen';
import { formatDate } from '../../lib/format';

export function WithdrawnMeasures({ measures }: { measures: Measure[] | undefined }) {
  const { t } = useTranslation('assessment');
  if (!measures || measures.length === 0) return null;
  return (
    <section aria-labelledby="withdrawn-title" className="mb-4" data-testid="withdrawn-measures">
      <h2 id="withdrawn-title" className="h3">
        {t('withdrawn.title')}
      </h2>
      <p>{t('withdrawn.intro')}</p>
      <ul className="list-unstyled">
        {measures.map((m) => (
          <li key={m.id} className="measure-card mb-2">
            <p className="mb-1">
              <strong>{m.title}</strong> <span className="badge text-bg-secondary">{t('withdrawn.badge')}</span>
            </p>
            <p className="mb-0">
              {t('withdrawn.when', { date: formatDate(m.withdrawn_at?.slice(0, 10)) || '–', reason: m.withdrawn_reason || '–' })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
