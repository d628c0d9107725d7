// Routes of the app. Every feature screen is a separate chunk (lazy), so the first screen ships only the shell.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { BrowserRouter, matchRoutes, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSessionState } from '../auth/session';
import { Loading } from '../components/Feedback';
import { Dialog } from '../components/Modal';
import { AccessibilityPage, NotFoundPage, PrivacyPage } from '../pages/Legal';
import { LoginForm, LoginPage } from '../pages/Login';
import { ForcedPasswordPage, PasswordPage } from '../pages/Password';
import { loadFeatureTexts } from '../i18n';
import { Footer, Shell, SkipLinks } from './Shell';

/** A feature screen, loaded on first render or earlier by preload (preloadScreen). */
type Screen = LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };

/** A feature screen: its chunk and the features' texts (i18n/featureTexts.ts) are fetched side by side, once. */
function page(load: () => Promise<{ default: ComponentType }>): Screen {
  let loading: Promise<{ default: ComponentType }> | undefined;
  const start = () => (loading ??= Promise.all([load(), loadFeatureTexts()]).then(([module]) => module));
  return Object.assign(lazy(start), { preload: start });
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

/** The signed-in screens by path (the shell's routes below, and what preloadScreen looks up). */
const screens: Array<{ path: string; screen: Screen }> = [
  { path: '/', screen: HomePage },
  { path: '/mappa', screen: MapPage },
  { path: '/valutazioni/:code', screen: AssessmentPage },
  { path: '/revisione', screen: ReviewQueuePage },
  { path: '/revisione/:code', screen: ReviewPage },
  { path: '/registro', screen: RegisterPage },
  { path: '/registro/importa', screen: RegisterImportPage },
  { path: '/mappa-di-calore', screen: HeatmapPage },
  { path: '/ciclo', screen: CyclePage },
  { path: '/utenti', screen: UsersPage },
  { path: '/attivita', screen: AuditPage },
  { path: '/monitoraggio', screen: MonitoringPage },
  { path: '/catalogo', screen: CataloguePage },
  { path: '/metodologia', screen: MethodologyPage },
  { path: '/campagna', screen: CampaignPage },
  { path: '/sottosezione', screen: SottosezionePage },
  { path: '/sottosezione/:part', screen: SottosezionePage },
  { path: '/misure-generali', screen: ProgrammePage },
  { path: '/trasparenza', screen: TransparencyPage },
  { path: '/notifiche', screen: InboxPage },
  { path: '/notifiche/preferenze', screen: NotificationPreferencesPage },
  { path: '/notifiche/email', screen: OutboxPage },
  { path: '/sicurezza', screen: SecurityPage },
];

/**
 * Starts loading the screen at pathname, for a tab that resumes a session: its chunk and texts then arrive while
 * the session (GET /me, /cycles) is being read instead of after it, one round trip less before the screen's own
 * data is asked for (Lighthouse's largest contentful paint on a slow phone, issue #19). Nothing for other paths.
 */
export function preloadScreen(pathname: string): Promise<unknown> | undefined {
  return matchRoutes(screens, pathname)?.[0]?.route.screen.preload();
}

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
          {screens.map(({ path, screen: Screen }) => (
            <Route key={path} path={path} element={<Screen />} />
          ))}
          <Route path="/password" element={<PasswordPage />} />
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
