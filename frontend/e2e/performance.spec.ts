// Budget: the register screen with the fully assessed demo register (every leaf, 2 risks each: 530 rows) is
// interactive within 1.5 s of navigation, measured in the page with the Performance API (time since the
// navigation started until the rows are in the DOM and the sort buttons answer).
import { writeFileSync, mkdirSync } from 'node:fs';
import { fullURL } from '../playwright.config';
import { expect, signIn, test } from './fixtures';

test('the fully assessed register is interactive within 1.5 s', async ({ page }) => {
  await signIn(page, 'rpct', fullURL);
  const runs: Array<{ ready: number; sort: number; rows: number }> = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${fullURL}/registro`);
    const handle = await page.waitForFunction(
      () => {
        const rows = document.querySelectorAll('[data-testid="register-table"] tbody tr').length;
        return rows >= 300 ? { ready: performance.now(), rows } : null;
      },
      undefined,
      { polling: 'raf', timeout: 15_000 },
    );
    const { ready, rows } = (await handle.jsonValue()) as { ready: number; rows: number };
    // interactive: a sort responds (the first sortable header's button), timed in the page
    const sort = await page.evaluate(async () => {
      const table = document.querySelector('[data-testid="register-table"]')!;
      const th = [...table.querySelectorAll('th[aria-sort]')].find((h) => h.querySelector('button'))!;
      const before = th.getAttribute('aria-sort');
      const t0 = performance.now();
      (th.querySelector('button') as HTMLButtonElement).click();
      while (th.getAttribute('aria-sort') === before) await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    });
    runs.push({ ready: Math.round(ready), sort: Math.round(sort), rows });
  }
  mkdirSync('e2e-artifacts', { recursive: true });
  writeFileSync('e2e-artifacts/register-performance.json', JSON.stringify({ runs }, null, 2));
  console.log(`register (full demo): ${JSON.stringify(runs)}`);
  const best = Math.min(...runs.map((r) => r.ready));
  expect(runs[0].rows).toBeGreaterThanOrEqual(500);
  expect(best, 'register interactive (ms since navigation)').toBeLessThan(1500);
  expect(Math.max(...runs.map((r) => r.ready)), 'every load under the budget').toBeLessThan(1500);
});
