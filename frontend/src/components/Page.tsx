// Page chrome shared by every screen: one <h1> that takes focus on navigation (so screen readers announce the
// new page), the document title, and an optional breadcrumb.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

export interface Crumb {
  label: string;
  to?: string;
}

export function Page({ title, crumbs, actions, children }: { title: string; crumbs?: Crumb[]; actions?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.titleSuffix')}`;
    h1.current?.focus({ preventScroll: false });
  }, [title, t]);
  return (
    <>
      {crumbs && crumbs.length > 0 && (
        <nav className="breadcrumb-container" aria-label={t('breadcrumb.label')}>
          <ol className="breadcrumb p-0 mb-2">
            <li className="breadcrumb-item">
              <Link to="/">{t('breadcrumb.home')}</Link>
              <span className="separator" aria-hidden="true">/</span>
            </li>
            {crumbs.map((c, i) => (
              <li key={i} className={`breadcrumb-item${c.to ? '' : ' active'}`} aria-current={c.to ? undefined : 'page'}>
                {c.to ? <Link to={c.to}>{c.label}</Link> : c.label}
                {i < crumbs.length - 1 && <span className="separator" aria-hidden="true">/</span>}
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="d-flex flex-wrap align-items-start justify-content-between gap-2 mb-3">
        <h1 ref={h1} tabIndex={-1} className="h2 mb-0 page-title">
          {title}
        </h1>
        {actions && <div className="d-flex flex-wrap gap-2">{actions}</div>}
      </div>
      {children}
    </>
  );
}
