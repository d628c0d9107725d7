// Home of the administrator: users and the process map (the administrator has no access to register content).
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { LinkCards, type LinkCard } from './LinkCards';

export function AdminHome() {
  const { t } = useTranslation('home');
  const s = useSession();
  const cards: LinkCard[] = [{ to: '/utenti', title: t('admin.users'), text: t('admin.usersText') }];
  if (s.can('processmap', 'read')) cards.push({ to: '/mappa', title: t('admin.map'), text: t('admin.mapText') });
  return (
    <section aria-labelledby="home-admin-title" className="mb-5" data-testid="home-admin">
      <h2 className="h3" id="home-admin-title">
        {t('admin.title')}
      </h2>
      <LinkCards cards={cards} />
    </section>
  );
}
