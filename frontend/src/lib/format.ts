// Italian formats for numbers, dates and sorting (Designers Italia language guide: 1.234,5; 26 novembre 2026).
// Each format is built on its first use, not when the module loads: building an Intl format loads its locale
// data and is among the costliest scripting of a screen's first render (~40 ms of a phone's main thread for the
// five; issue #19), and most screens use one or two of them.
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const dateFmt = lazy(() => new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric' }));
const shortDateFmt = lazy(() => new Intl.DateTimeFormat('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric' }));
const dateTimeFmt = lazy(() => new Intl.DateTimeFormat('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }));
const numberFmt = lazy(() => new Intl.NumberFormat('it-IT', { maximumFractionDigits: 2 }));
const italianCollator = lazy(() => new Intl.Collator('it', { sensitivity: 'base', numeric: true }));

/** Italian order (accents and case ignored, numbers by value: C2.9 before C2.10); compare is a free function. */
export const collator: Pick<Intl.Collator, 'compare'> = { compare: (a: string, b: string) => italianCollator().compare(a, b) };

/** Parses YYYY-MM-DD as a calendar date (not UTC midnight, which would shift the day west of Greenwich). */
function parse(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value?: string | null): string {
  if (!value) return '';
  const d = parse(value);
  return d ? dateFmt().format(d) : value;
}

export function formatShortDate(value?: string | null): string {
  if (!value) return '';
  const d = parse(value);
  return d ? shortDateFmt().format(d) : value;
}

export function formatDateTime(value?: string | null): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTimeFmt().format(d);
}

export function formatNumber(value?: number | null): string {
  return value === undefined || value === null ? '' : numberFmt().format(value);
}

/** A person as the interface names them: the full name, with the username after it when both are known. */
export function personLabel(u: { full_name?: string | null; username?: string | null }): string {
  const full = (u.full_name ?? '').trim();
  const user = (u.username ?? '').trim();
  if (full && user) return `${full} (${user})`;
  return full || user;
}
