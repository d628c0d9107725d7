import { describe, expect, it, vi } from 'vitest';
import { collator, formatDate, formatNumber, formatShortDate } from './format';

describe('Italian formats', () => {
  it('formats calendar dates without shifting the day', () => {
    expect(formatDate('2026-01-31')).toBe('31 gennaio 2026');
    expect(formatShortDate('2026-03-05')).toBe('05/03/2026');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
  });
  it('uses the Italian decimal comma and thousands point', () => {
    expect(formatNumber(12345.5)).toBe('12.345,5');
    expect(formatNumber(null)).toBe('');
  });
  it('sorts codes numerically and accents as base letters', () => {
    expect(['C2.10', 'C2.9', 'C2.1'].sort(collator.compare)).toEqual(['C2.1', 'C2.9', 'C2.10']);
    expect(collator.compare('attività', 'attivita')).toBe(0);
  });
});

describe('Intl formats', () => {
  it('are built on first use, once, not when the module loads (issue #19: the costliest start-up script)', async () => {
    vi.resetModules();
    const made: string[] = [];
    const spies = (['DateTimeFormat', 'NumberFormat', 'Collator'] as const).map((name) => {
      const Real = Intl[name];
      return vi.spyOn(Intl, name).mockImplementation(function (this: unknown, ...args: unknown[]) {
        made.push(name);
        return new (Real as unknown as new (...a: unknown[]) => object)(...args);
      } as never);
    });
    try {
      const f = await import('./format');
      expect(made).toEqual([]);
      expect(f.formatNumber(12345.5)).toBe('12.345,5');
      expect(f.formatNumber(2)).toBe('2');
      expect(made).toEqual(['NumberFormat']);
      expect(['b', 'a'].sort(f.collator.compare)).toEqual(['a', 'b']);
      expect(made).toEqual(['NumberFormat', 'Collator']);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });
});
