// The transparency section of sottosezione 2.3 (/trasparenza): the grid of publication obligations with the
// offices responsible, the state of publication at each monitoring round with the OIV's attestation grid, and
// the civic-access register's counts.
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TransparencyObligation, Tree } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { Page } from '../../components/Page';
import { useApi } from '../../lib/useApi';
import { CivicAccessSection } from './CivicAccessSection';
import { ObligationsSection } from './ObligationsSection';
import { PublicationSection } from './PublicationSection';

export default function TransparencyPage() {
  const { t } = useTranslation('transparency');
  const s = useSession();
  const code = s.cycle?.code ?? '';
  const canEdit = s.can('cycle', 'manage') && s.cycle?.state === 'open';
  const grid = useApi((signal) => (code ? api.call<TransparencyObligation[]>('GET /api/v1/cycles/:cycle/transparency/obligations', { params: { cycle: code }, signal }) : Promise.resolve([])), [code]);
  const tree = useApi((signal) => (code ? api.call<Tree>('GET /api/v1/cycles/:cycle/process-map', { params: { cycle: code }, signal }) : Promise.resolve(undefined)), [code]);
  return (
    <Page title={t('title')} crumbs={[{ label: t('title') }]}>
      <p>{t('intro')}</p>
      {!s.cycle && <p>{t('noCycle')}</p>}
      {s.cycle && (
        <>
          <section aria-labelledby="tr-grid" className="mb-4">
            <h2 id="tr-grid" className="h3">
              {t('grid.title')}
            </h2>
            <ObligationsSection cycle={code} canEdit={canEdit} grid={grid} units={tree.data?.units ?? []} />
          </section>
          <section aria-labelledby="tr-publication" className="mb-4">
            <h2 id="tr-publication" className="h3">
              {t('publication.title')}
            </h2>
            <PublicationSection cycle={code} />
          </section>
        </>
      )}
      <section aria-labelledby="tr-access">
        <h2 id="tr-access" className="h3">
          {t('access.title')}
        </h2>
        <CivicAccessSection canEdit={s.can('cycle', 'manage')} />
      </section>
    </Page>
  );
}
