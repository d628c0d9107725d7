// The RPCT defines a methodology profile of the ente from a shipped one, previews it on example values (computed by
// the server) and saves version 1; the page stays accessible at desktop width and at 360 px. On the cycle page the
// methodology is still "non confermata", so its wording can be corrected: the form opens and is accessible too.
import { expect, expectAccessible, signIn, test } from './fixtures';

test('the RPCT defines, previews and saves a methodology profile of the ente', async ({ page }) => {
  await signIn(page, 'rpct');
  await page.goto('/metodologia');
  await expect(page.getByRole('heading', { level: 1, name: "Profili metodologici dell'ente" })).toBeVisible();
  const code = `ente-e2e-${Date.now() % 100000}`;
  await page.getByRole('textbox', { name: 'Codice' }).fill(code);
  await page.getByRole('button', { name: 'Inizia' }).click();
  await expect(page.getByRole('heading', { name: "Nuovo profilo dell'ente" })).toBeVisible();
  await page.getByLabel('Regola di aggregazione').first().selectOption('mode');
  await page.getByRole('button', { name: "Calcola l'anteprima" }).click();
  await expect(page.getByTestId('preview-result-0')).toHaveText(/^Basso \(probabilità 1, impatto 1\)$/);
  await expect(page.getByTestId('preview-result-2')).toHaveText(/^Alto \(probabilità 3, impatto 3\)$/);
  await expectAccessible(page, 'metodologia: editor con anteprima');
  await page.getByRole('button', { name: 'Salva il profilo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profilo salvato (versione 1).' })).toBeVisible();
  await expect(page.getByTestId(`ente-profile-${code}`)).toContainText('Nessun ciclo');
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await expectAccessible(page, `metodologia: elenco a ${width} px`);
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/ciclo');
  await expect(page.getByTestId('methodology-current')).toContainText('Predefinita, non ancora confermata');
  await page.getByRole('button', { name: 'Correggi le formulazioni' }).click();
  await expect(page.getByRole('heading', { name: 'Correzione delle formulazioni del profilo' })).toBeVisible();
  await expect(page.getByRole('radio', { name: new RegExp(`versione 1`) })).toBeVisible(); // the new profile is choosable
  await expectAccessible(page, 'ciclo: correzione delle formulazioni');
  await page.getByRole('button', { name: 'Annulla' }).first().click();
});
