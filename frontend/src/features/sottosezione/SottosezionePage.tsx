// The sottosezione area (/sottosezione/<part>): one page per part of PIAO sottosezione 2.3 beside the register,
// in the order ANAC's platform uses. Every register reader reads; the RPCT edits.
import { NavLink, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { Page } from '../../components/Page';
import { ConsultationSection } from './ConsultationSection';
import { ContextSection } from './ContextSection';
import { pages } from './model';
import { ObjectivesSection } from './ObjectivesSection';
import { RiesameSection } from './RiesameSection';
import { SelfCheckSection } from './SelfCheckSection';
import { SettingsSection } from './SettingsSection';
import { SottosezioneDownloads } from './SottosezioneDownloads';
import './sottosezione.css';

export default function SottosezionePage() {
  const { t } = useTranslation('sottosezione');
  const s = useSession();
  const { part = 'contesto' } = useParams();
  const cycle = s.cycle;
  const canEdit = s.can('cycle', 'manage');
  const current = pages.find((p) => p.path === part) ?? pages[0];
  const title = t(`pages.${current.path}`);
  return (
    <Page title={title} crumbs={[{ label: t('title'), to: '/sottosezione' }, { label: title }]}>
      <p>{t('intro')}</p>
      {cycle && <SottosezioneDownloads cycle={cycle.code} />}
      <nav aria-label={t('pagesLabel')} className="mb-3">
        <ul className="nav nav-tabs sottosezione-tabs">
          {pages.map((p) => (
            <li className="nav-item" key={p.path}>
              <NavLink to={`/sottosezione/${p.path}`} className={() => `nav-link${p.path === current.path ? ' active' : ''}`} aria-current={p.path === current.path ? 'page' : undefined}>
                {t(`pages.${p.path}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {cycle && current.path === 'contesto' && <ContextSection key={cycle.code} cycle={cycle.code} canEdit={canEdit} />}
      {cycle && current.path === 'obiettivi' && <ObjectivesSection key={cycle.code} cycle={cycle.code} canEdit={canEdit} />}
      {cycle && current.path === 'consultazione' && <ConsultationSection key={cycle.code} cycle={cycle.code} canEdit={canEdit} />}
      {cycle && current.path === 'riesame' && <RiesameSection key={cycle.code} cycle={cycle.code} startYear={cycle.start_year} canEdit={canEdit} />}
      {cycle && current.path === 'autovalutazione' && <SelfCheckSection key={cycle.code} cycle={cycle.code} canEdit={canEdit} />}
      {current.path === 'regime' && <SettingsSection canEdit={canEdit} />}
    </Page>
  );
}
