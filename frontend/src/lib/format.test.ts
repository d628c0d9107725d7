import { describe, expect, it } from 'vitest';
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
