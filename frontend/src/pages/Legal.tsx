import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

export function AccessibilityPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('legal.accessibilityTitle')}>
      <p>{t('legal.accessibilityBody')}</p>
      <p>{t('legal.accessibilityFeedback')}</p>
    </Page>
  );
}

export function PrivacyPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('legal.privacyTitle')}>
      <p>{t('legal.privacyBody')}</p>
      <p>{t('legal.privacyRights')}</p>
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.notFoundTitle')}>
      <p>{t('errors.notFoundBody')}</p>
      <a href="/">{t('errors.goHome')}</a>
    </Page>
  );
}
