// The home (/): one section per role the user holds. The RPCT sees the review queue, the campaign and the risk
// levels; a director or referente their leaves and what came back from review; the OIV the entry points of its
// checks and the adopted cycles; the administrator users and map.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { CampaignCalendar } from '../../components/CampaignCalendar';
import { Page } from '../../components/Page';
import { AdminHome } from './AdminHome';
import { DirectorHome } from './DirectorHome';
import { OivHome } from './OivHome';
import { RpctHome } from './RpctHome';
import './home.css';

export default function HomePage() {
  const { t } = useTranslation('home');
  const s = useSession();
  const cycle = s.cycle;
  const isRpct = s.roles.has('rpct');
  const isAssessor = (s.roles.has('director') || s.roles.has('referente')) && s.myUnits.length > 0;
  const needsCycle = isRpct || isAssessor;
  // The role sections wait, mounted (their data loads meanwhile) but hidden, until the calendar above them has its
  // dates: shown earlier they would be pushed down when it grows (a layout shift, issue #19).
  const [calendarSettled, setCalendarSettled] = useState(false);
  const onCalendarSettled = useCallback(() => setCalendarSettled(true), []);
  return (
    <Page title={t('title')}>
      <p className="lead">{t('welcome', { name: s.me.user.full_name || s.me.user.username })}</p>
      {cycle && (
        <p data-testid="home-cycle">
          {t('cycle', { cycle: cycle.code, state: t(`common:cycleStates.${cycle.state}`) })}
        </p>
      )}
      {needsCycle && !cycle && <p>{t('noCycle')}</p>}
      {cycle && <CampaignCalendar cycle={cycle.code} onSettled={onCalendarSettled} />}
      <div hidden={!!cycle && !calendarSettled}>
        {isRpct && cycle && <RpctHome />}
        {isAssessor && cycle && <DirectorHome />}
        {s.roles.has('oiv') && <OivHome />}
        {s.roles.has('admin') && <AdminHome />}
        {s.roles.size === 0 && <p>{t('noRoles')}</p>}
      </div>
    </Page>
  );
}
