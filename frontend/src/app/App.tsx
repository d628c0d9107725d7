// Routes of the app. Every feature screen is a separate chunk (lazy), so the first screen ships only the shell.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSessionState } from '../auth/session';
import { Loading } from '../components/Feedback';
import { Dialog } from '../components/Modal';
import { AccessibilityPage, NotFoundPage, PrivacyPage } from '../pages/Legal';
import { LoginForm, LoginPage } from '../pages/Login';
import { ForcedPasswordPage, PasswordPage } from '../pages/Password';
import { loadFeatureTexts } from '../i18n';
import { Footer, Shell, SkipLinks } from './Shell';

/** A feature screen: its chunk and the features' texts (i18n/featureTexts.ts) are fetched side by side. */
function page(load: () => Promise<{ default: ComponentType }>) {
  return lazy(() => Promise.all([load(), loadFeatureTexts()]).then(([module]) => module));
}

const HomePage = page(() => import('../features/home/HomePage'));
const MapPage = page(() => import('../features/map/MapPage'));
const AssessmentPage = page(() => import('../features/assessment/AssessmentPage'));
const ReviewQueuePage = page(() => import('../features/review/ReviewQueuePage'));
const ReviewPage = page(() => import('../features/review/ReviewPage'));
const RegisterPage = page(() => import('../features/register/RegisterPage'));
const HeatmapPage = page(() => import('../features/heatmap/HeatmapPage'));
const CyclePage = page(() => import('../features/cycles/CyclePage'));
const UsersPage = page(() => import('../features/users/UsersPage'));
const AuditPage = page(() => import('../features/audit/AuditPage'));
const MonitoringPage = page(() => import('../features/monitoring/MonitoringPage'));
const CataloguePage = page(() => import('../features/catalogue/CataloguePage'));
const MethodologyPage = page(() => import('../features/methodology/MethodologyPage'));
const CampaignPage = page(() => import('../features/campaign/CampaignPage'));
const SottosezionePage = page(() => import('../features/sottosezione/SottosezionePage'));
const ProgrammePage = page(() => import('../features/programme/ProgrammePage'));
const TransparencyPage = page(() => import('../features/transparency/TransparencyPage'));
const InboxPage = page(() => import('../features/notifications/InboxPage'));
const NotificationPreferencesPage = page(() => import('../features/notifications/PreferencesPage'));
const OutboxPage = page(() => import('../features/notifications/OutboxPage'));
const RegisterImportPage = page(() => import('../features/registerimport/RegisterImportPage'));
const SecurityPage = page(() => import('../features/security/SecurityPage'));
const ForcedMFAPage = page(() => import('../features/security/SecurityPage').then((m) => ({ default: m.ForcedMFAPage })));

function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <div className="d-flex flex-column min-vh-100">
      <SkipLinks />
      <main id="main" tabIndex={-1} className="container py-4 flex-grow-1">
        {children}
      </main>
      <Footer />
    </div>
  );
}

function SessionExpired() {
  const { t } = useTranslation();
  const { expired, session } = useSessionState();
  return (
    <Dialog open={expired} id="session-expired" title={t('session.expiredTitle')} onClose={() => undefined}>
      <p>{t('session.expiredBody')}</p>
      <LoginForm idPrefix="relogin" initialUsername={session?.me.user.username} />
    </Dialog>
  );
}

function Routed() {
  const { status, session } = useSessionState();
  if (status === 'loading') {
    return (
      <PublicFrame>
        <Loading />
      </PublicFrame>
    );
  }
  if (status === 'anonymous') {
    return (
      <Routes>
        <Route path="/accessibilita" element={<PublicFrame><AccessibilityPage /></PublicFrame>} />
        <Route path="/privacy" element={<PublicFrame><PrivacyPage /></PublicFrame>} />
        <Route path="*" element={<PublicFrame><LoginPage /></PublicFrame>} />
      </Routes>
    );
  }
  if (session?.me.user.must_change_password) {
    // A password set by someone else: nothing else is reachable (the API refuses it too) until it is changed.
    return (
      <PublicFrame>
        <ForcedPasswordPage />
      </PublicFrame>
    );
  }
  if (session?.me.mfa_enrolment_required) {
    // A role that requires a second factor without one: only the enrolment is reachable (the API refuses the rest).
    return (
      <PublicFrame>
        <Suspense fallback={<Loading />}>
          <ForcedMFAPage />
        </Suspense>
      </PublicFrame>
    );
  }
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/mappa" element={<MapPage />} />
          <Route path="/valutazioni/:code" element={<AssessmentPage />} />
          <Route path="/revisione" element={<ReviewQueuePage />} />
          <Route path="/revisione/:code" element={<ReviewPage />} />
          <Route path="/registro" element={<RegisterPage />} />
          <Route path="/registro/importa" element={<RegisterImportPage />} />
          <Route path="/mappa-di-calore" element={<HeatmapPage />} />
          <Route path="/ciclo" element={<CyclePage />} />
          <Route path="/utenti" element={<UsersPage />} />
          <Route path="/attivita" element={<AuditPage />} />
          <Route path="/monitoraggio" element={<MonitoringPage />} />
          <Route path="/catalogo" element={<CataloguePage />} />
          <Route path="/metodologia" element={<MethodologyPage />} />
          <Route path="/campagna" element={<CampaignPage />} />
          <Route path="/sottosezione" element={<SottosezionePage />} />
          <Route path="/sottosezione/:part" element={<SottosezionePage />} />
          <Route path="/misure-generali" element={<ProgrammePage />} />
          <Route path="/trasparenza" element={<TransparencyPage />} />
          <Route path="/notifiche" element={<InboxPage />} />
          <Route path="/notifiche/preferenze" element={<NotificationPreferencesPage />} />
          <Route path="/notifiche/email" element={<OutboxPage />} />
          <Route path="/password" element={<PasswordPage />} />
          <Route path="/sicurezza" element={<SecurityPage />} />
          <Route path="/accessibilita" element={<AccessibilityPage />} />
          <Route path="/privacy" element={<PrivacyPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
      <SessionExpired />
    </Shell>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routed />
        <div id="announcer" className="visually-hidden" aria-live="polite" aria-atomic="true" />
      </SessionProvider>
    </BrowserRouter>
  );
}
