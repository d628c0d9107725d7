import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { fakeApi } from '../../test/api';
import { registerAll } from './leaves';
import { walkRegister } from './data';

afterEach(() => vi.restoreAllMocks());

// A fake register of 2,300 rows in pages of up to 1000: page 1, then the rows after each cursor it handed out.
function fakeRegister() {
  const rows = Array.from({ length: 2300 }, (_, i) => ({ node: `A${i}`, risk_id: `r${i}` }));
  const issued = new Set<string>();
  const f = fakeApi({
    'GET /api/v1/cycles/:cycle/register': (o) => {
      const q = o.query ?? {};
      const cursor = q.cursor as string | undefined;
      if (cursor && !issued.has(cursor)) throw new Error(`cursor not handed out: ${cursor}`);
      const from = cursor ? Number(cursor.slice(1)) : 0;
      const to = from + Number(q.page_size);
      const hasMore = to < rows.length;
      if (hasMore) issued.add(`@${to}`);
      return { items: rows.slice(from, to), has_more: hasMore, next_cursor: hasMore ? `@${to}` : undefined, page: cursor ? 0 : 1, page_size: q.page_size };
    },
  });
  vi.spyOn(api, 'call').mockImplementation(f.impl as typeof api.call);
  return { rows, f };
}

describe('reading the whole register', () => {
  it('follows next_cursor with the same filters, reads every row once and tells the rows read so far', async () => {
    const { rows, f } = fakeRegister();
    const progress: number[] = [];
    const got = await walkRegister('2026-2028', { state: 'submitted' }, undefined, (n) => progress.push(n));
    expect(got.map((r) => r.node)).toEqual(rows.map((r) => r.node));
    expect(f.calls.map((c) => c.opts.query)).toEqual([
      { state: 'submitted', page: 1, page_size: 1000 },
      { state: 'submitted', page_size: 1000, cursor: '@1000' },
      { state: 'submitted', page_size: 1000, cursor: '@2000' },
    ]);
    expect(progress).toEqual([1000, 2000]);
  });

  it('is how the review queue and the home read the register too', async () => {
    const { rows, f } = fakeRegister();
    const got = await registerAll('2026-2028', { state: 'submitted' });
    expect(got).toHaveLength(rows.length);
    expect(f.calls.slice(1).every((c) => typeof c.opts.query?.cursor === 'string' && c.opts.query?.page === undefined)).toBe(true);
  });
});
