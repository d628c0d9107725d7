// Routes of the app. Every feature screen is a separate chunk (lazy), so the first screen ships only the shell.
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSessionState } from '../auth/session';
import { Loading } from '../components/Feedback';
import { Dialog } from '../components/Modal';
import { AccessibilityPage, NotFoundPage, PrivacyPage } from '../pages/Legal';
import { LoginForm, LoginPage } from '../pages/Login';
import { ForcedPasswordPage, PasswordPage } from '../pages/Password';
import { Footer, Shell, SkipLinks } from './Shell';

const HomePage = lazy(() => import('../features/home/HomePage'));
const MapPage = lazy(() => import('../features/map/MapPage'));
const AssessmentPage = lazy(() => import('../features/assessment/AssessmentPage'));
const ReviewQueuePage = lazy(() => import('../features/review/ReviewQueuePage'));
const ReviewPage = lazy(() => import('../features/review/ReviewPage'));
const RegisterPage = lazy(() => import('../features/register/RegisterPage'));
const HeatmapPage = lazy(() => import('../features/heatmap/HeatmapPage'));
const CyclePage = lazy(() => import('../features/cycles/CyclePage'));
const UsersPage = lazy(() => import('../features/users/UsersPage'));
const AuditPage = lazy(() => import('../features/audit/AuditPage'));
const MonitoringPage = lazy(() => import('../features/monitoring/MonitoringPage'));
const CataloguePage = lazy(() => import('../features/catalogue/CataloguePage'));
const MethodologyPage = lazy(() => import('../features/methodology/MethodologyPage'));
const CampaignPage = lazy(() => import('../features/campaign/CampaignPage'));
const SottosezionePage = lazy(() => import('../features/sottosezione/SottosezionePage'));
const ProgrammePage = lazy(() => import('../features/programme/ProgrammePage'));
const TransparencyPage = lazy(() => import('../features/transparency/TransparencyPage'));
const InboxPage = lazy(() => import('../features/notifications/InboxPage'));
const NotificationPreferencesPage = lazy(() => import('../features/notifications/PreferencesPage'));
const OutboxPage = lazy(() => import('../features/notifications/OutboxPage'));
const RegisterImportPage = lazy(() => import('../features/registerimport/RegisterImportPage'));
const SecurityPage = lazy(() => import('../features/security/SecurityPage'));
const ForcedMFAPage = lazy(() => import('../features/security/SecurityPage').then((m) => ({ default: m.ForcedMFAPage })));

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
