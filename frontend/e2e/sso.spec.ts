// Single sign-on through the test OpenID Provider (internal/oidctest, started by playwright.config.ts): the person
// chooses "Accedi con IdP di prova", signs in on the provider's own page and lands on their home page with their roles.
import { expect, expectAccessible, shot, test } from './fixtures';

test('a person signs in with the ente identity provider and lands on their home page with their roles', async ({ page }) => {
  await page.goto('/');
  const sso = page.getByRole('link', { name: 'Accedi con IdP di prova' });
  await expect(sso).toBeVisible();
  await expectAccessible(page, 'accesso con identità dell’ente');
  await shot(page, '01b-accesso-sso');
  await sso.click();
  // The provider's own login page (another origin).
  await page.getByLabel('Username:').fill('dir2');
  await page.getByLabel('Password:').fill('password-di-prova');
  await page.getByRole('button', { name: 'Login' }).click();
  // Back in Argine, signed in: the token of the address is gone, the header names the person and their roles.
  await expect(page.getByRole('button', { name: 'Esci' })).toBeVisible();
  await expect(page.getByTestId('whoami')).toContainText('Dirigente');
  expect(page.url()).not.toContain('oidc_refresh');
  await expectAccessible(page, 'cruscotto dopo accesso con identità dell’ente');
  // Sign-out ends the Argine session and the provider's (RP-initiated logout), back to Argine's sign-in page.
  await page.getByRole('button', { name: 'Esci' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accedi ad Argine' })).toBeVisible();
});
