import { afterEach, describe, expect, it } from 'vitest';
import { columnHeads, labelStackTables, labelTable, watchStackTables } from './stackTables';

function table(html: string): HTMLTableElement {
  document.body.innerHTML = html;
  return document.querySelector('table')!;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('stacking tables', () => {
  it('labels each body cell with its column heading, colspans counted, row headings and given labels left alone', () => {
    const t = table(`<table class="stack-table"><thead><tr><th colspan="2">Codice e titolo</th><th>Stato</th><th><input aria-label="tutte"></th></tr></thead>
      <tbody><tr><th scope="row">A1</th><td>Titolo</td><td data-label="Proprio">Bozza</td><td><input aria-label="x"></td></tr>
      <tr><td colspan="4">dettagli</td></tr></tbody></table>`);
    expect(columnHeads(t)).toEqual(['Codice e titolo', 'Codice e titolo', 'Stato', '']);
    labelTable(t);
    const cells = t.tBodies[0].rows[0].cells;
    expect(cells[0].hasAttribute('data-label')).toBe(false);
    expect(cells[1].getAttribute('data-label')).toBe('Codice e titolo');
    expect(cells[2].getAttribute('data-label')).toBe('Proprio');
    expect(cells[3].hasAttribute('data-label')).toBe(false);
    expect(t.tBodies[0].rows[1].cells[0].hasAttribute('data-label')).toBe(false);
  });

  it('labels only tables with the shared class', () => {
    document.body.innerHTML = `<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>`;
    labelStackTables();
    expect(document.querySelector('td')!.hasAttribute('data-label')).toBe(false);
  });

  it('labels rows added later and relabels when the headings change', async () => {
    const t = table(`<table class="stack-table"><thead><tr><th>Unità</th></tr></thead><tbody></tbody></table>`);
    const stop = watchStackTables(document.body);
    const row = t.tBodies[0].insertRow();
    row.insertCell().textContent = 'AD2';
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    await new Promise((r) => setTimeout(r, 20));
    expect(row.cells[0].getAttribute('data-label')).toBe('Unità');
    t.tHead!.rows[0].cells[0].textContent = 'Unità organizzativa';
    await new Promise((r) => setTimeout(r, 50));
    expect(row.cells[0].getAttribute('data-label')).toBe('Unità organizzativa');
    stop();
  });
});
