// Monitoring of measures in the browser, on the demo's adopted previous cycle: the RPCT saves the plan and opens a round; a director self-assesses one of
// their unit's measures and attaches an evidence file; the RPCT checks it. Screens through axe, with screenshots.
import type { Page } from '@playwright/test';
import { expect, expectAccessible, shot, signIn, test } from './fixtures';

// A story step signs in and walks several screens: on a loaded 2-core machine one took 2.2 min (CI, load
// average 15-20), over the default 120 s, so the steps of a story get 300 s each.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

let measureTestId = '';

// Only a consolidated or adopted register is monitored: the demo's previous cycle, adopted, while the current
// one is still in assessment. The header's cycle picker switches to it.
const adoptedCycle = '2025-2027';

async function openMonitoring(page: Page) {
  await page.locator('#cycle-select').selectOption(adoptedCycle);
  await expect(page.locator('#cycle-select')).toHaveValue(adoptedCycle);
  await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Monitoraggio delle misure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('the RPCT saves the monitoring plan and opens a round', async ({ page }) => {
  await signIn(page, 'rpct');
  await openMonitoring(page);
  const plan = page.getByTestId('plan-form');
  await expect(plan).toBeVisible();
  await plan.getByLabel(/^Frequenza/).fill('semestrale');
  await plan.getByLabel(/^Data di riferimento 1/).fill('2026-06-30');
  await plan.getByLabel(/^Criteri di campionamento/).fill('Misure delle aree a rischio alto, estrazione casuale delle altre.');
  await plan.getByLabel(/^Percentuale del campione/).fill('20');
  await plan.getByRole('button', { name: 'Salva il piano' }).click();
  await expect(page.getByRole('main').getByText('Piano di monitoraggio salvato.')).toBeVisible();
  await page.getByTestId('open-round-submit').click();
  await expect(page.getByTestId('round-state')).toHaveText('Aperta');
  await expect(page.getByTestId('measures-table')).toBeVisible();
  await expectAccessible(page, 'monitoraggio (RPCT)');
  await shot(page, '30-monitoraggio-rpct');
});

test('a director self-assesses a measure of their unit and attaches evidence', async ({ page }) => {
  await signIn(page, 'dir1');
  await openMonitoring(page);
  const open = page.getByTestId('measures-table').locator('[data-testid^="measure-open-"]').first();
  measureTestId = (await open.getAttribute('data-testid')) ?? '';
  expect(measureTestId).not.toBe('');
  await open.click();
  const form = page.getByTestId('self-assessment-form');
  await expect(form).toBeVisible();
  await form.getByText('In ritardo', { exact: true }).click();
  await form.getByLabel(/^Motivazione/).fill('La fase di formazione slitta a settembre per il cambio del fornitore.');
  await form.getByRole('button', { name: "Salva l'autovalutazione" }).click();
  await expect(page.getByRole('main').getByText('Autovalutazione salvata.')).toBeVisible();
  const evidence = page.getByTestId('evidence-upload-form');
  await evidence.getByLabel(/^File da allegare/).setInputFiles({ name: 'verbale-formazione.txt', mimeType: 'text/plain', buffer: Buffer.from('Verbale della riunione di avvio della formazione.\n') });
  await evidence.getByRole('button', { name: "Carica l'evidenza" }).click();
  await expect(page.getByTestId('evidence-table')).toContainText('verbale-formazione.txt');
  await expectAccessible(page, 'autovalutazione della misura');
  await shot(page, '31-monitoraggio-autovalutazione');
});

test('the RPCT checks the self-assessment', async ({ page }) => {
  await signIn(page, 'rpct');
  await openMonitoring(page);
  await page.getByTestId(measureTestId).click();
  const check = page.getByTestId('check-form');
  await expect(check).toBeVisible();
  await check.getByText('Confermato', { exact: true }).click();
  await check.getByText('Parzialmente idonea', { exact: true }).click();
  await check.getByLabel(/^Motivazione dell'idoneità/).fill('La misura va rafforzata con un calendario vincolante.');
  await check.getByRole('button', { name: 'Registra il controllo' }).click();
  await expect(page.getByRole('main').getByText('Controllo registrato.')).toBeVisible();
  await expectAccessible(page, 'controllo del RPCT');
  await shot(page, '32-monitoraggio-controllo');
});
