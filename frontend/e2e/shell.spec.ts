import { expect, expectAccessible, shot, signIn, signOut, test } from './fixtures';

test('sign-in page is Italian, accessible and refuses wrong credentials by their code', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
  await expect(page.getByRole('heading', { level: 1, name: 'Accedi ad Argine' })).toBeVisible();
  await expectAccessible(page, 'accesso');
  await shot(page, '01-accesso');
  await page.getByLabel('Nome utente').fill('dir2');
  await page.getByLabel('Password', { exact: true }).fill('password-sbagliata');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Nome utente o password non corretti.');
});

test('the footer links to the accessibility statement and the privacy notice, also before sign-in', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Dichiarazione di accessibilità' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dichiarazione di accessibilità' })).toBeVisible();
  await expectAccessible(page, 'dichiarazione di accessibilità');
  await page.getByRole('link', { name: 'Informativa sulla privacy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Informativa sulla privacy' })).toBeVisible();
});

test('the session survives a reload and sign-out ends it', async ({ page }) => {
  await signIn(page, 'oiv');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await signOut(page);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Accedi' })).toBeVisible();
});

test('an expired session asks to sign in again in place, keeping what was typed', async ({ page }) => {
  await signIn(page, 'dir2');
  await page.goto('/password');
  await page.getByLabel('Password attuale').fill('testo-non-perso');
  // the server forgets the session: both tokens become invalid
  await page.evaluate(() => sessionStorage.setItem('argine.refresh', 'revoked'));
  await page.route('**/api/v1/me/password', (route) =>
    route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'token_invalid' }) }),
  );
  await page.getByLabel('Nuova password', { exact: true }).fill('una-nuova-password-lunga');
  await page.getByLabel('Ripeti la nuova password').fill('una-nuova-password-lunga');
  await page.getByRole('button', { name: 'Cambia password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sessione scaduta' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'sessione scaduta');
  await dialog.getByLabel('Password', { exact: true }).fill('argine-demo-2026');
  await dialog.getByRole('button', { name: 'Accedi' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Password attuale')).toHaveValue('testo-non-perso');
});

test('unknown paths show the not-found page inside the app', async ({ page }) => {
  await signIn(page, 'rpct');
  await page.goto('/non-esiste');
  await expect(page.getByRole('heading', { level: 1, name: 'Pagina non trovata' })).toBeVisible();
});
