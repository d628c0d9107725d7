// Tables that stack at phone width (the shared class "stack-table", styles.css): below 576 px each row becomes a
// card and each cell shows its column's heading before its value. The heading comes from a data-label attribute:
// a table may set it itself (the register does); otherwise this module copies it from the table's last header
// row, for every table.stack-table on the page, once when the app starts and again whenever rows are added.
// One observer for the whole app, so no page keeps its own copy of the labels.

// rows already labelled, with the cells they had (a row whose cells change is labelled again)
const processedRows = new WeakMap<HTMLTableRowElement, HTMLTableCellElement[]>();
const headsSeen = new WeakMap<HTMLTableElement, string>();

/** The text of each column's heading, by column index (colspans taken into account). */
export function columnHeads(table: HTMLTableElement): string[] {
  const rows = table.tHead?.rows;
  if (!rows || rows.length === 0) return [];
  const heads: string[] = [];
  for (const cell of Array.from(rows[rows.length - 1].cells)) {
    // a heading that is only a control (a select-all checkbox) labels nothing
    const text = (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
    for (let i = 0; i < cell.colSpan; i++) heads.push(text);
  }
  return heads;
}

/** Sets data-label on the body cells of one table that have none; returns how many it set. */
export function labelTable(table: HTMLTableElement): number {
  const heads = columnHeads(table);
  const key = heads.join('\u0000');
  const headsChanged = headsSeen.get(table) !== key;
  headsSeen.set(table, key);
  let set = 0;
  for (const body of Array.from(table.tBodies)) {
    for (const row of Array.from(body.rows)) {
      const cells = Array.from(row.cells);
      const before = processedRows.get(row);
      if (!headsChanged && before && before.length === cells.length && before.every((c, i) => c === cells[i])) continue;
      processedRows.set(row, cells);
      let col = 0;
      for (const cell of cells) {
        const head = heads[col];
        col += cell.colSpan;
        if (cell.tagName !== 'TD' || cell.colSpan > 1 || !head) continue;
        if (cell.hasAttribute('data-label') && cell.dataset.labelAuto !== '1') continue;
        if (cell.getAttribute('data-label') !== head) {
          cell.setAttribute('data-label', head);
          cell.dataset.labelAuto = '1';
          set++;
        }
      }
    }
  }
  return set;
}

/** Labels every stacking table under root. */
export function labelStackTables(root: ParentNode = document): void {
  root.querySelectorAll<HTMLTableElement>('table.stack-table').forEach(labelTable);
}

/** Keeps the stacking tables labelled while the app renders; returns the function that stops it. */
export function watchStackTables(root: HTMLElement = document.body): () => void {
  let pending = 0;
  const run = () => {
    pending = 0;
    labelStackTables(root);
  };
  const observer = new MutationObserver(() => {
    if (!pending) pending = window.requestAnimationFrame(run);
  });
  observer.observe(root, { childList: true, subtree: true });
  run();
  return () => {
    observer.disconnect();
    if (pending) window.cancelAnimationFrame(pending);
  };
}
