// The campaign as it happens (issue 13), on the demo's open cycle: a referente fills half an assessment, leaves
// and comes back to find it autosaved, hands it to the director; the director completes it, copies it to two
// sibling actions and submits the three; the RPCT returns one, approves the others and excludes a block of
// leaves in one step; the OIV leaves a note on an assessment and the RPCT sees it there. axe on each screen.
// (Consolidation and sampling by criteria are not here: the open cycle keeps hundreds of leaves to assess, and
// monitoring.spec.ts runs a round on the demo's adopted cycle.)
import type { Page } from '@playwright/test';
import { expect, expectAccessible, shot, signIn, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

// B3.2.2 is a process of Area 2 alone with four actions that the demo leaves unassessed.
const leaf = 'B3.2.2.1';
const siblings = ['B3.2.2.2', 'B3.2.2.3'];
const context = 'Controlli a campione affidati a un solo funzionario, senza verbale condiviso.';
const returnComment = 'Il contesto va adattato a questa azione: indicare i controlli che la riguardano.';
const excluded = ['B3.2.1.1', 'B3.2.1.2', 'B3.2.1.3', 'B3.2.1.4', 'B3.2.1.5', 'B3.2.1.6'];
const oivNote = "Il giudizio su KRI-1 non cita le fonti: chiedere al dirigente l'evidenza dei controlli.";

const rx = (code: string) => code.replace(/\./g, '\\.');

async function openLeaf(page: Page, code: string) {
  await page.goto(`/valutazioni/${code}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
}

/** Opens the (collapsed) panel of the OIV's notes on the assessment. */
async function openNotes(page: Page) {
  const toggle = page.getByTestId('oiv-notes-panel').getByRole('button', { name: /^Rilievi dell'OIV/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

async function confirmSubmit(page: Page) {
  await page.getByRole('button', { name: 'Invia al RPCT' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: "Conferma l'invio" }).click();
  await expect(page.getByRole('main').getByText('Valutazione inviata al RPCT.')).toBeVisible();
  await expect(page.getByTestId('assessment-readonly')).toBeVisible();
}

test('a referente fills half an assessment, finds it autosaved, and hands it to the director', async ({ page }) => {
  await signIn(page, 'ref2');
  await openLeaf(page, leaf);
  await page.getByRole('button', { name: 'Aggiungi un rischio' }).click();
  const risk = page.getByTestId('risk-entry').first();
  await risk.getByLabel('Evento rischioso').selectOption({ index: 1 });
  await risk.getByLabel('Contesto').fill(context);
  // No click on «Salva bozza»: the editor saves on its own a moment after the last change.
  await expect(page.getByTestId('save-state')).toHaveText('Tutte le modifiche sono salvate');
  await page.reload();
  await expect(page.getByTestId('risk-entry').first().getByLabel('Contesto')).toHaveValue(context);
  // A referente does not submit: the lead unit's director does.
  await page.getByTestId('handoff-button').click();
  await expect(page.getByTestId('handoff')).toContainText('Pronta per la firma');
  await expectAccessible(page, 'valutazione del referente');
  await shot(page, '60-campagna-referente');
});

test('the director completes it, copies it to two sibling actions and submits the three', async ({ page }) => {
  await signIn(page, 'dir2');
  await openLeaf(page, leaf);
  await expect(page.getByTestId('handoff')).toContainText('Pronta per la firma');
  const risk = page.getByTestId('risk-entry').first();
  await expect(risk.getByLabel('Contesto')).toHaveValue(context);
  const indicators = risk.locator('.indicator-field');
  const n = await indicators.count();
  expect(n).toBeGreaterThanOrEqual(6);
  for (let i = 0; i < n; i++) {
    const field = indicators.nth(i);
    await field.locator('label.indicator-option').nth(1).click();
    await field.getByRole('textbox').fill(`Valutazione motivata dell'indicatore ${i + 1} sui controlli del 2025.`);
  }
  await risk.getByLabel('Motivazione del giudizio complessivo').fill('Giudizio prudenziale: prevale il valore più alto degli indicatori.');
  await risk.getByText('Mantenere le misure esistenti', { exact: true }).click();
  await page.getByRole('button', { name: 'Salva bozza' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('Tutte le modifiche sono salvate');

  await page.goto(`/campagna?copia=${leaf}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(`^Seleziona le \\d+ azioni sorelle di ${rx(leaf)}`) }).click();
  await page.getByRole('checkbox', { name: /^Seleziona B3\.2\.2\.4\b/ }).uncheck();
  await expect(page.getByText('2 azioni selezionate')).toBeVisible();
  await expectAccessible(page, 'campagna con la selezione');
  await page.getByRole('button', { name: 'Copia una valutazione nelle selezionate' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/^Valutazione da copiare/)).toHaveValue(leaf);
  await dialog.getByRole('button', { name: "Mostra l'anteprima" }).click();
  await expect(dialog.getByText(/^Anteprima: 2 azioni saranno modificate/)).toBeVisible();
  await expectAccessible(page, 'anteprima della copia');
  await dialog.getByRole('button', { name: 'Applica' }).click();
  await expect(dialog.getByText(/^Fatto: 2 azioni modificate/)).toBeVisible();
  await shot(page, '61-campagna-copia');
  await dialog.getByRole('button', { name: 'Chiudi' }).first().click();

  for (const code of [leaf, ...siblings]) {
    await openLeaf(page, code);
    await expect(page.getByTestId('risk-entry').first().getByLabel('Contesto')).toHaveValue(context);
    await confirmSubmit(page);
  }
});

test('the RPCT returns one, approves the others and excludes a block of leaves in one step', async ({ page }) => {
  await signIn(page, 'rpct');
  await page.goto(`/revisione/${siblings[1]}`);
  await page.getByRole('button', { name: 'Rinvia con osservazioni' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Osservazioni per il dirigente').fill(returnComment);
  await dialog.getByRole('button', { name: 'Conferma il rinvio' }).click();
  await expect(page.getByRole('main').getByText(`Valutazione ${siblings[1]} rinviata al dirigente con osservazioni.`)).toBeVisible();
  for (const code of [leaf, siblings[0]]) {
    await page.goto(`/revisione/${code}`);
    await page.getByRole('button', { name: 'Approva' }).click();
    await page.getByRole('dialog').getByRole('button', { name: "Conferma l'approvazione" }).click();
    await expect(page.getByRole('main').getByText(`Valutazione ${code} approvata.`)).toBeVisible();
  }

  await page.goto('/campagna');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  for (const code of excluded) await page.getByRole('checkbox', { name: new RegExp(`^Seleziona ${rx(code)}\\b`) }).check();
  await expect(page.getByText(`${excluded.length} azioni selezionate`)).toBeVisible();
  await page.getByRole('button', { name: 'Escludi le selezionate' }).click();
  const exclude = page.getByRole('dialog');
  await exclude.getByLabel(/^Motivazione dell'esclusione/).fill('Attività cessata: il servizio è passato alla Regione nel 2025.');
  await expectAccessible(page, 'esclusione in blocco');
  await exclude.getByTestId('exclude-apply').click();
  await expect(exclude).toBeHidden();
  await expect(page.getByRole('button', { name: new RegExp(`^Riammetti ${rx(excluded[0])}`) })).toBeVisible();
  await shot(page, '62-campagna-esclusione');
});

test('the OIV leaves a note on an assessment and the RPCT sees it there', async ({ page }) => {
  await signIn(page, 'oiv');
  await openLeaf(page, leaf);
  const panel = page.getByTestId('oiv-notes-panel');
  await openNotes(page);
  await panel.getByRole('textbox', { name: /^Nuovo rilievo/ }).fill(oivNote);
  await panel.getByRole('button', { name: 'Registra il rilievo' }).click();
  await expect(panel.getByTestId('oiv-notes-list')).toContainText(oivNote);
  await expectAccessible(page, "valutazione con il rilievo dell'OIV");
  await page.getByRole('button', { name: 'Esci' }).click();
  await signIn(page, 'rpct');
  await openLeaf(page, leaf);
  await expect(page.getByTestId('oiv-notes-count')).toHaveText('1');
  await openNotes(page);
  await expect(page.getByTestId('oiv-notes-panel').getByTestId('oiv-notes-list')).toContainText(oivNote);
  await shot(page, '63-campagna-rilievo-oiv');
});
