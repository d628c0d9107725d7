// The page shell (Bootstrap Italia header slim + center, side navigation, footer, skip links, live region).
import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionState } from '../auth/session';
import { isCurrent, useRouterLinks } from '../lib/routerLinks';
import { confirmLeave } from '../lib/unsaved';
import { navItems } from './nav';
import { NotificationBell } from '../features/notifications/NotificationBell';

/**
 * Links to the page's landmarks, first in the tab order. Every link must land on an element the page has: the
 * public pages (sign-in, legal notes) have no side navigation, so they offer only the main content.
 */
export function SkipLinks({ withNav = false }: { withNav?: boolean }) {
  const { t } = useTranslation();
  return (
    <nav className="skiplinks" aria-label={t('skip.label')}>
      <a className="visually-hidden-focusable" href="#main">
        {t('skip.main')}
      </a>
      {withNav && (
        <a className="visually-hidden-focusable" href="#nav">
          {t('skip.nav')}
        </a>
      )}
    </nav>
  );
}

export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="it-footer mt-auto">
      <div className="it-footer-small-prints clearfix">
        <div className="container">
          <h2 className="visually-hidden">{t('footer.label')}</h2>
          <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li className="list-inline-item">
              <Link to="/accessibilita">{t('footer.accessibility')}</Link>
            </li>
            <li className="list-inline-item">
              <Link to="/privacy">{t('footer.privacy')}</Link>
            </li>
            <li className="list-inline-item text-white">{t('footer.license')}</li>
            <li className="list-inline-item text-white">{t('footer.version', { version: __APP_VERSION__ })}</li>
          </ul>
        </div>
      </div>
    </footer>
  );
}

/** The navigation's links: plain links that one handler hands to the router, marked as NavLink would mark them
 * (class active, aria-current="page"), so the shell mounts no router component per entry (issue #19). */
function NavList({ items, open, onFollow }: { items: typeof navItems; open: boolean; onFollow: () => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  const follow = useRouterLinks(location.pathname + location.search + location.hash);
  return (
    // the click handler only follows the entries' links (Enter on a link is a click too): no key handler is needed
    <ul
      id="nav-list"
      className={`link-list list-unstyled app-nav ${open ? '' : 'd-none'} d-lg-block`}
      onClick={(e) => {
        if (!(e.target as Element).closest?.('a')) return;
        onFollow();
        follow(e);
      }}
    >
      {items.map((i) => {
        const current = isCurrent(location.pathname, i.to, i.to === '/');
        return (
          <li key={i.to}>
            <a href={i.to} className={`list-item${current ? ' active' : ''}`} aria-current={current ? 'page' : undefined}>
              <span>{t(i.key)}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const s = useSession();
  const { signOut } = useSessionState();
  const [menuOpen, setMenuOpen] = useState(false);
  const roles = [...new Set(s.me.grants.map((g) => t(`roles.${g.role}`)))].join(', ');
  const items = navItems.filter((i) => i.visible(s));
  return (
    <div className="d-flex flex-column min-vh-100">
      <SkipLinks withNav />
      <header className="it-header-wrapper">
        <div className="it-header-slim-wrapper">
          <div className="container-fluid px-3 px-lg-4">
            <div className="it-header-slim-wrapper-content flex-wrap">
              <span className="d-inline-block navbar-brand text-white text-truncate slim-ente">{s.me.ente.name}</span>
              <div className="it-header-slim-right-zone gap-3 flex-wrap">
                <span className="text-white small d-none d-md-inline" data-testid="whoami">
                  {s.me.user.full_name || s.me.user.username} · {roles}
                </span>
                <NotificationBell />
                <Link className="text-white small" to="/password">
                  {t('nav.password')}
                </Link>
                <Link className="text-white small" to="/sicurezza">
                  {t('security:nav')}
                </Link>
                <button type="button" className="btn btn-primary btn-sm btn-icon" onClick={() => confirmLeave() && void signOut()}>
                  {t('header.signOut')}
                </button>
              </div>
            </div>
          </div>
        </div>
        <div className="it-header-center-wrapper it-small-header">
          <div className="container-fluid px-3 px-lg-4">
            <div className="it-header-center-content-wrapper flex-wrap gap-2">
              <div className="it-brand-wrapper ps-0">
                <Link to="/">
                  <div className="it-brand-text">
                    <div className="it-brand-title">{t('app.name')}</div>
                    <div className="it-brand-tagline d-none d-md-block">{t('app.tagline')}</div>
                  </div>
                </Link>
              </div>
              <div className="it-right-zone">
                {s.cycles.length > 0 && (
                  <div className="d-flex align-items-center gap-2 cycle-picker">
                    <label htmlFor="cycle-select" className="text-white mb-0 small d-none d-sm-inline">
                      {t('header.cycleSelect')}
                    </label>
                    <select id="cycle-select" aria-label={t('header.cycleSelect')} className="form-select form-select-sm" value={s.cycle?.code ?? ''} onChange={(e) => confirmLeave() && s.selectCycle(e.target.value)}>
                      {s.cycles.map((c) => (
                        <option key={c.code} value={c.code}>
                          {c.code} ({t(`cycleStates.${c.state}`)})
                        </option>
                      ))}
                    </select>
                  </div>
                )}
              </div>
            </div>
          </div>
        </div>
      </header>
      <div className="container-fluid px-0 flex-grow-1 app-body">
        <div className="row g-0">
          <nav id="nav" tabIndex={-1} className="col-lg-2 app-sidebar border-end" aria-label={t('nav.label')}>
            <button type="button" className="btn btn-outline-primary btn-sm d-lg-none m-2" aria-expanded={menuOpen} aria-controls="nav-list" onClick={() => setMenuOpen((o) => !o)}>
              {menuOpen ? t('header.closeMenu') : t('header.openMenu')}
            </button>
            <NavList items={items} open={menuOpen} onFollow={() => setMenuOpen(false)} />
          </nav>
          <main id="main" tabIndex={-1} className="col-lg-10 px-3 px-lg-4 py-3">
            {children}
          </main>
        </div>
      </div>
      <Footer />
    </div>
  );
}
