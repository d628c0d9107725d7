// Shared e2e helpers: sign-in through the form, an axe gate (no serious or critical violations), screenshots as
// artifacts, and a guard that fails a test on any page error, console error or CSP violation.
import { test as base, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';

export const password = 'argine-demo-2026';
export const shotsDir = 'e2e-artifacts/screenshots';

export const test = base.extend<{ guard: string[] }>({
  guard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        // 401s on purpose (expired sessions) and 4xx answers the UI handles are logged by Chromium as resource errors
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      await use(problems);
      expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function signIn(page: Page, username: string, baseURL?: string): Promise<void> {
  await page.goto(baseURL ? `${baseURL}/` : '/');
  await page.getByLabel('Nome utente').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page.getByRole('button', { name: 'Accedi' })).toBeVisible();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: true });
}

/** axe-core over WCAG 2.1 A/AA rules: no serious or critical violation may remain. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // colours are measured after transitions (a dialog fading in is mid-blend with its backdrop)
  // (reactstrap adds .show a frame after mounting, so wait for open dialogs to be fully opaque, then for no running transition)
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLElement>('.modal')].every((m) => getComputedStyle(m).display === 'none' || (m.classList.contains('show') && getComputedStyle(m).opacity === '1')) &&
      document.getAnimations().every((a) => a.playState !== 'running'),
  );
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} [${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()}]`).join(', ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}
