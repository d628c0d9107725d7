// Italian formats for numbers, dates and sorting (Designers Italia language guide: 1.234,5; 26 novembre 2026).
const dateFmt = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'long', year: 'numeric' });
const shortDateFmt = new Intl.DateTimeFormat('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const numberFmt = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 2 });

export const collator = new Intl.Collator('it', { sensitivity: 'base', numeric: true });

/** Parses YYYY-MM-DD as a calendar date (not UTC midnight, which would shift the day west of Greenwich). */
function parse(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value?: string | null): string {
  if (!value) return '';
  const d = parse(value);
  return d ? dateFmt.format(d) : value;
}

export function formatShortDate(value?: string | null): string {
  if (!value) return '';
  const d = parse(value);
  return d ? shortDateFmt.format(d) : value;
}

export function formatDateTime(value?: string | null): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateTimeFmt.format(d);
}

export function formatNumber(value?: number | null): string {
  return value === undefined || value === null ? '' : numberFmt.format(value);
}

/** A person as the interface names them: the full name, with the username after it when both are known. */
export function personLabel(u: { full_name?: string | null; username?: string | null }): string {
  const full = (u.full_name ?? '').trim();
  const user = (u.username ?? '').trim();
  if (full && user) return `${full} (${user})`;
  return full || user;
}
