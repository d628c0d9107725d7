// Notifications as a director meets them on the demo: the campaign calendar on the home page (the demo's open
// cycle comes with one), the bell with the unread count (the scheduler of `argine serve` told the demo's
// directors that the campaign opened), the inbox with links to the item, mark read, and the preferences;
// through axe at 1280 and 360 px.
import { expect, expectAccessible, shot, signIn, test } from './fixtures';
import type { Page } from '@playwright/test';

const bell = (page: Page) => page.getByTestId('bell');

/** The unread count the bell says (its accessible name carries the number). */
async function unread(page: Page): Promise<number> {
  const name = (await bell(page).getAttribute('aria-label')) ?? '';
  const m = /(\d+) non lett/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** Waits until the scheduler's first pass has told the signed-in director that the campaign opened. */
async function awaitOpening(page: Page) {
  await expect(async () => {
    await page.reload();
    await expect(bell(page)).toHaveAttribute('aria-label', /Notifiche: \d+ non lett/, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
}

test('bell, inbox, mark read and preferences, at 1280 and 360 px', async ({ page }) => {
  // dir3 (Area 3): no other story writes to their inbox or preferences.
  await signIn(page, 'dir3');

  // The home page shows the campaign's dates and the days left out of the box.
  const calendar = page.getByTestId('campaign-calendar');
  await expect(calendar.getByRole('heading', { name: 'Calendario della campagna' })).toBeVisible();
  await expect(calendar.getByRole('row', { name: /Scadenza dell'autovalutazione delle strutture/ })).toContainText(/mancano \d+ giorni/);
  await expect(calendar.getByRole('row', { name: /Apertura della mappatura e valutazione/ })).toContainText(/scaduta da \d+ giorni/);

  await awaitOpening(page);
  const before = await unread(page);
  expect(before).toBeGreaterThan(0);
  await expect(bell(page).locator('.badge')).toHaveText(String(before));
  await expectAccessible(page, 'home with the calendar and the bell');

  await bell(page).click();
  await expect(page).toHaveURL(/\/notifiche$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Notifiche' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Elenco delle notifiche' });
  const opening = list.getByTestId('notification').filter({ hasText: 'Campagna aperta: ciclo 2026-2028' }).first();
  await expect(opening).toContainText('è aperta la mappatura e valutazione dei rischi del ciclo 2026-2028');
  await expect(opening).toContainText('Campagna aperta per le mie strutture');
  await expect(opening.getByText('Non letta')).toBeVisible();
  await expect(opening.getByRole('link', { name: /^Apri\s*: Campagna aperta/ })).toHaveAttribute('href', '/registro?ciclo=2026-2028');
  await expectAccessible(page, 'inbox');
  await shot(page, 'notifications-inbox');

  // Mark read: the item loses its badge, the bell counts one less.
  await opening.getByRole('button', { name: /^Segna come letta\s*: Campagna aperta/ }).click();
  await expect(page.getByText('Notifica segnata come letta.')).toBeAttached();
  await expect(opening.getByText('Non letta')).toHaveCount(0);
  await expect.poll(() => unread(page)).toBe(before - 1);

  // The link opens the exact screen.
  await opening.getByRole('link', { name: /^Apri\s*: Campagna aperta/ }).click();
  await expect(page).toHaveURL(/\/registro$/);

  // Preferences: without a mail server the e-mail choices are off and say why; the digest becomes weekly and
  // stays so after a reload.
  await page.goto('/notifiche/preferenze');
  await expect(page.getByRole('heading', { level: 1, name: 'Preferenze delle notifiche' })).toBeVisible();
  await expect(page.getByText('Questa installazione non ha un server di posta configurato')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Commento in una discussione a cui partecipo' })).toBeDisabled();
  const digest = page.getByLabel('Riepilogo delle notifiche non inviate singolarmente');
  await expect(digest).toHaveValue('daily');
  await digest.selectOption('weekly');
  await page.getByRole('button', { name: 'Salva le preferenze' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Preferenze salvate.' })).toBeVisible();
  await page.reload();
  await expect(digest).toHaveValue('weekly');
  await expectAccessible(page, 'notification preferences');
  await shot(page, 'notifications-preferences');

  // At 360 px: the same screens, reflowed, through axe.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const [path, heading] of [['/', null], ['/notifiche', 'Notifiche'], ['/notifiche/preferenze', 'Preferenze delle notifiche']] as const) {
    await page.goto(path);
    if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    else await expect(page.getByTestId('campaign-calendar').getByRole('table')).toBeVisible();
    await expect(bell(page)).toBeVisible();
    await expectAccessible(page, `${path} at 360 px`);
    await shot(page, `notifications-360${path.replaceAll('/', '-')}`);
  }
});
