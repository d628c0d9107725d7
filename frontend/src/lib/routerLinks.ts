// Plain links handed to the router by one click handler on the element around them (issue #19): a list of many
// links (the register's rows, the navigation) then mounts no router component per link, each of which subscribes
// to the location and resolves its path on every render. The links stay real links: an href, Enter, open in a new
// tab, the assessment editor's guard against leaving unsaved changes (a capture-phase click listener).
import { useCallback, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';

/** A click on a link inside the element handed to the router, as react-router's <Link> does it (same-origin path,
 * plain left click, no target or download): the links stay real links (href, keyboard, open in a new tab) without
 * a router component per link. `current` (path, query and hash of the page shown, where the caller knows it) makes
 * a link to the page itself replace the history entry instead of adding one, as <Link> does. */
export function useRouterLinks(current?: string): (e: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  return useCallback(
    (e: MouseEvent<HTMLElement>) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.altKey || e.ctrlKey || e.shiftKey) return;
      const a = (e.target as Element).closest?.('a[href]');
      if (!(a instanceof HTMLAnchorElement) || !e.currentTarget.contains(a)) return;
      if ((a.target && a.target !== '_self') || a.hasAttribute('download')) return;
      const href = a.getAttribute('href') ?? '';
      if (!href.startsWith('/') || href.startsWith('//')) return;
      e.preventDefault();
      navigate(href, { replace: href === current });
    },
    [navigate, current],
  );
}

/** Whether a navigation entry is the current page, as react-router's NavLink decides it (`end`: the path itself
 * only; otherwise the path or a page under it). */
export function isCurrent(pathname: string, to: string, end = false): boolean {
  const path = pathname.toLowerCase();
  const target = to.toLowerCase();
  if (path === target) return true;
  if (end) return false;
  const slash = target !== '/' && target.endsWith('/') ? target.length - 1 : target.length;
  return path.startsWith(target) && path.charAt(slash) === '/';
}
