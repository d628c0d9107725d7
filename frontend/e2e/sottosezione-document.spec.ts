// The whole sottosezione 2.3 as one document, and the data for ANAC's platform, downloaded from the sottosezione
// page of the demo's open cycle (marked BOZZA), with the page still accessible (axe) once the download is announced.
import { readFile } from 'node:fs/promises';
import { expect, expectAccessible, signIn, test } from './fixtures';

test('the OIV downloads the whole sottosezione (ODT) and the ANAC platform workbook', async ({ page }) => {
  await signIn(page, 'oiv');
  await page.goto('/sottosezione/contesto');
  const region = page.getByRole('region', { name: 'Scarica la sottosezione' });
  await expect(region).toBeVisible();
  for (const [label, name] of [
    ['Sottosezione completa (ODT, modificabile)', /_2026-2028_BOZZA_sottosezione\.odt$/],
    ['Dati per la piattaforma ANAC (Excel)', /_2026-2028_BOZZA_piattaforma-anac\.xlsx$/],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), region.getByRole('button', { name: label }).click()]);
    expect(download.suggestedFilename()).toMatch(name);
    const body = await readFile((await download.path())!);
    expect(body.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: ODT and XLSX both are
    await expect(region.getByRole('button', { name: label })).not.toHaveAttribute('aria-busy', 'true');
  }
  await expectAccessible(page, 'sottosezione con i download');
});
