// Performance budgets, run by `make perf` (the perf project of playwright.config.ts), never by `make e2e`: a
// timing measured on a shared 2-core machine says how busy the machine was as much as how fast the code is, so it
// cannot decide whether a functional test passes. Each test records its figures in e2e-artifacts/*.json and in the
// report; a figure over its budget is an annotation ("over budget"), and a failure only with ARGINE_PERF_STRICT=1
// (a quiet machine). What is not timing (the rows shown, the unsaved state) is asserted as usual.
//
// Budgets:
// - the register screen with the fully assessed demo register (every leaf, 2 risks each: 530 rows) is interactive
//   within 1.5 s of navigation, measured in the page with the Performance API (time since the navigation started
//   until the rows are in the DOM and the sort buttons answer);
// - typing never blocks: in the editor of an assessed leaf, 60 keystrokes into a reason field produce no long task
//   (the browser's Long Tasks API: any main-thread task over 50 ms).
import { writeFileSync, mkdirSync } from 'node:fs';
import { fullURL } from '../playwright.config';
import { expect, signIn, test } from './fixtures';

const strict = process.env.ARGINE_PERF_STRICT === '1';

// budget records a figure against its budget: an annotation and a warning when over, a failure only when strict.
function budget(name: string, value: number, limit: number, unit: string): void {
  const line = `${name}: ${value} ${unit} (budget ${limit} ${unit})`;
  if (value > limit) {
    test.info().annotations.push({ type: 'over budget', description: line });
    console.warn(`OVER BUDGET ${line}`);
  } else {
    console.log(line);
  }
  if (strict) expect(value, name).toBeLessThanOrEqual(limit);
}

test('the fully assessed register: time to interactive', async ({ page }) => {
  await signIn(page, 'rpct', fullURL);
  const runs: Array<{ ready: number; sort: number; rows: number }> = [];
  for (let i = 0; i < 3; i++) {
    // every row at once (the register pages by 50 unless asked): the worst case the budget was set for
    await page.goto(`${fullURL}/registro?size=all`);
    const handle = await page.waitForFunction(
      () => {
        const rows = document.querySelectorAll('[data-testid="register-table"] tbody tr').length;
        return rows >= 300 ? { ready: performance.now(), rows } : null;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
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
  expect(runs[0].rows).toBeGreaterThanOrEqual(500);
  budget('register interactive, best of 3 (ms since navigation)', Math.min(...runs.map((r) => r.ready)), 1500, 'ms');
  budget('register interactive, worst of 3 (ms since navigation)', Math.max(...runs.map((r) => r.ready)), 1500, 'ms');
});

test('typing in the assessment editor: long tasks', async ({ page }) => {
  await signIn(page, 'dir1', fullURL);
  await page.goto(`${fullURL}/valutazioni/A1.1.1.1`);
  const field = page.getByTestId('risk-entry').first().getByLabel('Contesto');
  await expect(field).toBeEditable();
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
  });
  await field.click();
  await field.press('End');
  const text = ' aggiornato con i dati del monitoraggio del secondo semestre';
  const t0 = Date.now();
  await page.keyboard.type(text);
  await expect(field).toHaveValue(new RegExp(`${text}$`));
  const perKey = (Date.now() - t0) / text.length;
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const figures = { keystrokes: text.length, msPerKeystrokeRoundTrip: Number(perKey.toFixed(1)), longTasks };
  console.log(`editor typing: ${JSON.stringify(figures)}`);
  mkdirSync('e2e-artifacts', { recursive: true });
  writeFileSync('e2e-artifacts/editor-typing.json', JSON.stringify(figures, null, 2));
  await expect(page.getByTestId('save-state')).toHaveText('Modifiche non salvate');
  budget('main-thread tasks over 50 ms while typing', longTasks.length, 0, 'tasks');
});
