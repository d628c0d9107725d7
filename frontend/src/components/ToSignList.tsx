// The director's "Da firmare" list: the drafts a referente handed off ("pronto per la firma") on the leaves
// whose lead unit the director submits for, each opening its editor, with what it still lacks.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { loadLeaves } from '../api/campaign';
import { useCycleCode } from '../auth/session';
import { formatDateTime } from '../lib/format';
import { useApi } from '../lib/useApi';
import { CompletenessText } from './Completeness';
import { ErrorAlert, Loading } from './Feedback';

export function ToSignList({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const cycle = useCycleCode();
  const list = useApi((signal) => loadLeaves(cycle, { to_sign: true }, signal), [cycle]);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const items = list.data ?? [];
  return (
    <section aria-labelledby="to-sign-title" className="mb-4" data-testid="to-sign">
      <H id="to-sign-title" className={headingLevel === 2 ? 'h3' : 'h4'}>
        {t('toSign.title')}
      </H>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading && <Loading />}
      {list.data &&
        (items.length === 0 ? (
          <p>{t('toSign.none')}</p>
        ) : (
          <ul className="list-unstyled" aria-labelledby="to-sign-title">
            {items.map((l) => (
              <li key={l.code} className="mb-2">
                <Link to={`/valutazioni/${encodeURIComponent(l.code)}`} className="fw-semibold">
                  {l.code} {l.title}
                </Link>
                <span className="d-block small">
                  {t('toSign.by', { who: l.handed_off?.by_name || l.handed_off?.by || '', when: formatDateTime(l.handed_off?.at) })} · <CompletenessText leaf={l} />
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
