// The pager of a long list shown a page at a time (the register, the campaign's actions): a nav named by the
// list, previous and next for reading in order, and the page numbers around the current one (with the first and
// the last) for jumping. The current page is the button with aria-current="page". At most nine buttons whatever
// the number of pages, so the pager never adds much to the page's elements.
import { useTranslation } from 'react-i18next';

/**
 * The page numbers to offer: the first, the last, the current and its neighbours, null where numbers are left
 * out (drawn as an ellipsis). A gap of a single page shows that page instead of an ellipsis.
 */
export function pageWindow(page: number, pages: number, around = 1): Array<number | null> {
  const shown = new Set<number>([1, pages]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pages) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev === 2) out.push(p - 1);
    else if (prev !== undefined && p - prev > 2) out.push(null);
    out.push(p);
  });
  return out;
}

export interface PagerProps {
  /** The current page, from 1. */
  page: number;
  pages: number;
  onPage: (page: number) => void;
  /** The nav's accessible name: which list it pages ("Pagine del registro"). */
  label: string;
  testId?: string;
}

export function Pager({ page, pages, onPage, label, testId }: PagerProps) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="d-flex flex-wrap align-items-center gap-2 my-3 no-print" data-testid={testId}>
      {/* aria-disabled, not disabled: the focused button keeps focus on the first and last page */}
      <button type="button" className="btn btn-sm btn-outline-primary" aria-disabled={page <= 1 || undefined} onClick={() => page > 1 && onPage(page - 1)}>
        {t('pager.previous')}
      </button>
      {pageWindow(page, pages).map((p, i) =>
        p === null ? (
          <span key={`gap-${i}`} aria-hidden="true">
            …
          </span>
        ) : (
          <button
            key={p}
            type="button"
            className={`btn btn-sm ${p === page ? 'btn-primary' : 'btn-outline-primary'}`}
            aria-current={p === page ? 'page' : undefined}
            aria-label={t('pager.page', { page: p })}
            onClick={() => p !== page && onPage(p)}
          >
            {p}
          </button>
        ),
      )}
      <button type="button" className="btn btn-sm btn-outline-primary" aria-disabled={page >= pages || undefined} onClick={() => page < pages && onPage(page + 1)}>
        {t('pager.next')}
      </button>
      <span className="small">{t('pager.status', { page, pages })}</span>
    </nav>
  );
}
