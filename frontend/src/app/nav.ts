// The sections of the app, each with the permission that shows it (the server enforces them again).
import type { Session } from '../auth/session';

export interface NavItem {
  to: string;
  key: string;
  visible: (s: Session) => boolean;
}

export const navItems: NavItem[] = [
  { to: '/', key: 'nav.home', visible: () => true },
  { to: '/mappa', key: 'nav.map', visible: (s) => s.can('processmap', 'read') },
  { to: '/revisione', key: 'nav.review', visible: (s) => s.can('assessment', 'review') },
  { to: '/campagna', key: 'nav.campaign', visible: (s) => s.can('assessment', 'read') },
  { to: '/registro', key: 'nav.register', visible: (s) => s.can('assessment', 'read') },
  { to: '/mappa-di-calore', key: 'nav.heatmap', visible: (s) => s.can('assessment', 'read') },
  // the OIV reads the cycle's state and writes its notes there
  { to: '/ciclo', key: 'nav.cycles', visible: (s) => s.can('cycle', 'manage') || s.can('oiv_note', 'write') },
  { to: '/monitoraggio', key: 'nav.monitoring', visible: (s) => s.can('measure', 'read') },
  { to: '/sottosezione', key: 'nav.sottosezione', visible: (s) => s.can('assessment', 'read') },
  { to: '/misure-generali', key: 'nav.programme', visible: (s) => s.can('measure', 'read') },
  { to: '/trasparenza', key: 'nav.transparency', visible: (s) => s.can('measure', 'read') },
  { to: '/catalogo', key: 'nav.catalogue', visible: (s) => s.can('catalogue', 'read') },
  { to: '/utenti', key: 'nav.users', visible: (s) => s.can('user', 'read') },
  { to: '/attivita', key: 'nav.audit', visible: (s) => s.can('audit', 'read') },
  { to: '/notifiche', key: 'nav.notifications', visible: () => true },
  { to: '/notifiche/email', key: 'nav.outbox', visible: (s) => s.can('outbox', 'read') },
];
