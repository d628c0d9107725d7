// The campaign as it happens (issue 13), on the demo's open cycle: a referente fills half an assessment, leaves
// and comes back to find it autosaved, hands it to the director; the director completes it, copies it to two
// sibling actions and submits the three; the RPCT returns one, approves the others and excludes ten leaves in
// one step; the director fixes the returned one and the RPCT approves it; the RPCT excludes, with a reason, the
// leaves this campaign leaves out of scope and consolidates the cycle; the OIV leaves a note on an assessment
// and the RPCT sees it there; a monitoring round samples by the plan's criteria (on the demo's adopted
// 2025-2027 cycle: the measures of the cycle just consolidated are few). axe on each screen, at 1280 and 360 px.
// It consolidates the open cycle, so it runs on a demo server of its own (playwright.config.ts).
import type { Page } from '@playwright/test';
import { expect, expectAccessible, shot, signIn, test } from './fixtures';

// A story step signs in and walks several screens: on a loaded 2-core machine one took 2.2 min (CI, load
// average 15-20), over the default 120 s, so the steps of a story get 300 s each.
test.describe.configure({ mode: 'serial', timeout: 300_000 });
test.use({ baseURL: `http://127.0.0.1:${process.env.ARGINE_E2E_CAMPAIGN_PORT}` });

// B3.2.2 is a process of Area 2 alone with four actions that the demo leaves unassessed.
const leaf = 'B3.2.2.1';
const siblings = ['B3.2.2.2', 'B3.2.2.3'];
const context = 'Controlli a campione affidati a un solo funzionario, senza verbale condiviso.';
const returnComment = 'Il contesto va adattato a questa azione: indicare i controlli che la riguardano.';
const excluded = ['B3.1.1.4', 'B3.1.1.5', 'B3.1.1.6', 'B3.1.1.7', 'B3.2.1.1', 'B3.2.1.2', 'B3.2.1.3', 'B3.2.1.4', 'B3.2.1.5', 'B3.2.1.6'];
const fixedContext = 'Verifiche sui pagamenti affidate a un solo funzionario, senza verbale condiviso con la ragioneria.';
const adoptedCycle = '2025-2027';
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

/** axe at desktop width and again at 360 px (a phone), where tables stack and the navigation collapses; the page
 * itself never scrolls sideways. */
async function expectAccessibleBothWidths(page: Page, screen: string) {
  await expectAccessible(page, `${screen} a 1280 px`);
  await page.setViewportSize({ width: 360, height: 740 });
  await expectAccessible(page, `${screen} a 360 px`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `larghezza della pagina ${screen} a 360 px`).toBeLessThanOrEqual(360);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The campaign shows 50 leaves a page: moves on with the pager until the leaf's row is on screen. */
async function showLeaf(page: Page, code: string) {
  const box = page.getByRole('checkbox', { name: new RegExp(`^Seleziona ${rx(code)}\\b`) });
  const pager = page.getByRole('navigation', { name: 'Pagine delle azioni' });
  await expect(pager).toBeVisible();
  for (let i = 0; i < 10 && (await box.count()) === 0; i++) {
    const current = Number(await pager.locator('[aria-current="page"]').textContent());
    await pager.getByRole('button', { name: 'Pagina successiva' }).click();
    await expect(pager.locator('[aria-current="page"]')).toHaveText(String(current + 1));
  }
  await expect(box).toHaveCount(1);
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
  await expectAccessibleBothWidths(page, 'valutazione del referente');
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
  await expectAccessibleBothWidths(page, 'campagna con la selezione');
  await page.getByRole('button', { name: 'Copia una valutazione nelle selezionate' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/^Valutazione da copiare/)).toHaveValue(leaf);
  await dialog.getByRole('button', { name: "Mostra l'anteprima" }).click();
  await expect(dialog.getByText(/^Anteprima: 2 azioni saranno modificate/)).toBeVisible();
  await expectAccessibleBothWidths(page, 'anteprima della copia');
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

test('the RPCT returns one, approves the others and excludes ten leaves in one step', async ({ page }) => {
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
  for (const code of excluded) {
    await showLeaf(page, code);
    await page.getByRole('checkbox', { name: new RegExp(`^Seleziona ${rx(code)}\\b`) }).check();
  }
  await expect(page.getByText(`${excluded.length} azioni selezionate`)).toBeVisible();
  // The selection is kept across pages, and the bulk tool takes it whole from any page.
  await page.getByRole('navigation', { name: 'Pagine delle azioni' }).getByRole('button', { name: 'Pagina 1', exact: true }).click();
  await expect(page.getByText(`${excluded.length} azioni selezionate (${excluded.length} in altre pagine)`)).toBeVisible();
  await page.getByRole('button', { name: 'Escludi le selezionate' }).click();
  const exclude = page.getByRole('dialog');
  await exclude.getByLabel(/^Motivazione dell'esclusione/).fill('Attività cessata: il servizio è passato alla Regione nel 2025.');
  await expectAccessibleBothWidths(page, 'esclusione in blocco');
  await exclude.getByTestId('exclude-apply').click();
  await expect(exclude).toBeHidden();
  await showLeaf(page, excluded[0]);
  await expect(page.getByRole('button', { name: new RegExp(`^Riammetti ${rx(excluded[0])}`) })).toBeVisible();
  await shot(page, '62-campagna-esclusione');
});

test('the director fixes the returned assessment and the RPCT approves it', async ({ page }) => {
  await signIn(page, 'dir2');
  await openLeaf(page, siblings[1]);
  await expect(page.getByTestId('returned-notice')).toContainText(returnComment);
  await page.getByTestId('risk-entry').first().getByLabel('Contesto').fill(fixedContext);
  await page.getByRole('button', { name: 'Salva bozza' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('Tutte le modifiche sono salvate');
  await confirmSubmit(page);
  await page.getByRole('button', { name: 'Esci' }).click();

  await signIn(page, 'rpct');
  await page.goto(`/revisione/${siblings[1]}`);
  await page.getByRole('button', { name: 'Approva' }).click();
  await page.getByRole('dialog').getByRole('button', { name: "Conferma l'approvazione" }).click();
  await expect(page.getByRole('main').getByText(`Valutazione ${siblings[1]} approvata.`)).toBeVisible();
});

test('the RPCT excludes the leaves left out of scope and consolidates the cycle', async ({ page }) => {
  await signIn(page, 'rpct');
  await page.goto('/ciclo');
  // The rule stands: a cycle is consolidated only when every leaf is approved or excluded with a reason.
  await page.getByRole('button', { name: 'Consolida il ciclo' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Consolida', exact: true }).click();
  const blockers = page.getByTestId('consolidation-blockers');
  await expect(blockers).toContainText('non sono né approvate né escluse');
  await expectAccessibleBothWidths(page, 'consolidamento bloccato');
  await blockers.getByTestId('blockers-campaign-link').click();

  // The campaign lists only what still blocks it; the approved three and the ten excluded are not there.
  await expect(page.getByLabel(/^Solo le azioni che impediscono il consolidamento/)).toBeChecked();
  // (50 a page: on the page of B3.2.2.4, where they would be)
  await showLeaf(page, 'B3.2.2.4');
  await expect(page.getByRole('checkbox', { name: /^Seleziona B3\.2\.2\.1\b/ })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: /^Seleziona B3\.2\.1\.1\b/ })).toHaveCount(0);
  // Every leaf listed, on every page, in one click.
  await page.getByRole('button', { name: /^Seleziona tutte le \d+ azioni dell'elenco$/ }).click();
  await page.getByRole('button', { name: 'Escludi le selezionate' }).click();
  const exclude = page.getByRole('dialog');
  await exclude.getByLabel(/^Motivazione dell'esclusione/).fill('Fuori dal perimetro della campagna 2026: processi valutati nel 2025 e senza variazioni di contesto.');
  await exclude.getByTestId('exclude-apply').click();
  await expect(exclude).toBeHidden();
  await expect(page.getByText('Nessuna azione corrisponde ai filtri.')).toBeVisible();

  await page.goto('/ciclo');
  await page.getByRole('button', { name: 'Consolida il ciclo' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Consolida', exact: true }).click();
  await expect(page.getByTestId('cycle-steps')).toContainText('Tutte le azioni sono approvate o escluse.');
  await expect(page.getByRole('button', { name: 'Consolida il ciclo' })).toHaveCount(0);
  await expectAccessibleBothWidths(page, 'ciclo consolidato');
  await shot(page, '64-campagna-consolidata');
});

test('the OIV leaves a note on an assessment and the RPCT sees it there', async ({ page }) => {
  await signIn(page, 'oiv');
  await openLeaf(page, leaf);
  const panel = page.getByTestId('oiv-notes-panel');
  await openNotes(page);
  await panel.getByRole('textbox', { name: /^Nuovo rilievo/ }).fill(oivNote);
  await panel.getByRole('button', { name: 'Registra il rilievo' }).click();
  await expect(panel.getByTestId('oiv-notes-list')).toContainText(oivNote);
  await expectAccessibleBothWidths(page, "valutazione con il rilievo dell'OIV");
  await page.getByRole('button', { name: 'Esci' }).click();
  await signIn(page, 'rpct');
  await openLeaf(page, leaf);
  await expect(page.getByTestId('oiv-notes-count')).toHaveText('1');
  await openNotes(page);
  await expect(page.getByTestId('oiv-notes-panel').getByTestId('oiv-notes-list')).toContainText(oivNote);
  await shot(page, '63-campagna-rilievo-oiv');
});

test('a monitoring round samples by the criteria of the plan', async ({ page }) => {
  await signIn(page, 'rpct');
  await page.locator('#cycle-select').selectOption(adoptedCycle);
  await expect(page.locator('#cycle-select')).toHaveValue(adoptedCycle);
  await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Monitoraggio delle misure' }).click();
  const plan = page.getByTestId('plan-form');
  await expect(plan).toBeVisible();
  await plan.getByLabel(/^Frequenza/).fill('semestrale');
  await plan.getByLabel(/^Data di riferimento 1/).fill('2026-06-30');
  await plan.getByLabel(/^Criteri di campionamento/).fill('Tutte le misure dei rischi alti e quelle scadute, poi il 25% delle altre per unità e area.');
  for (const rule of ['Tutte le misure dei rischi di livello alto o molto alto', 'Tutte le misure scadute e non attuate alla data della rilevazione']) {
    // the kit's checkbox is drawn by its label, which takes the click
    if (!(await plan.getByLabel(rule).isChecked())) await plan.getByText(rule, { exact: true }).click();
    await expect(plan.getByLabel(rule)).toBeChecked();
  }
  await plan.getByLabel(/^Percentuale del campione/).fill('25');
  await plan.getByRole('button', { name: 'Salva il piano' }).click();
  await expect(page.getByRole('main').getByText('Piano di monitoraggio salvato.')).toBeVisible();
  await page.getByTestId('open-round-submit').click();
  await expect(page.getByTestId('round-state')).toHaveText('Aperta');

  await page.getByTestId('round-sample').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Seme dell'estrazione/).fill('20260630');
  await dialog.getByRole('button', { name: 'Estrai', exact: true }).click();
  await expect(page.getByTestId('round-sample-info')).toContainText('seme 20260630');
  const criteria = page.getByTestId('round-sample-criteria');
  await expect(criteria).toContainText('Tutte le misure dei rischi di livello alto o molto alto');
  await expect(criteria).toContainText('25% delle altre misure');
  // Each drawn measure says why: a high risk, overdue, or the random share of its unit and area.
  const reasons = page.getByTestId('measures-table').locator('[data-testid^="sample-reason-"]');
  expect(await reasons.count()).toBeGreaterThan(0);
  for (const text of await reasons.allInnerTexts()) {
    expect(text).toMatch(/^(Tratta un rischio di livello alto|Scaduta e non attuata|Estratta a caso.*)$/);
  }
  await expectAccessibleBothWidths(page, 'giro di monitoraggio con il campione');
  await shot(page, '65-campagna-campione');
});
