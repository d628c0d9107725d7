// The table of a list or grid (the catalogue's lists, the transparency grid, the campaign's leaves, an
// assessment's read-only tables, a bulk tool's preview): a caption naming it, one header row, its rows, the
// stacked-card layout on narrow screens (.stack-table), scrolling sideways in a .table-responsive box, and an
// optional line under the table for an empty list. The caller draws the rows, so each list keeps its own cells;
// what stays the same across lists lives here once.
import type { ReactNode } from 'react';

export interface ListTableProps {
  caption: ReactNode;
  /** The caption for screen readers only, where a visible heading above the table already names it. */
  hiddenCaption?: boolean;
  /** The column headings in order; false leaves a column out (an actions column only for whoever edits). */
  columns: Array<ReactNode | false>;
  /** Classes added to "table stack-table" (e.g. "table-sm", a feature's own class). */
  className?: string;
  /** Classes added to the .table-responsive box around the table (e.g. a top margin). */
  boxClassName?: string;
  testId?: string;
  /** Shown under the table (e.g. "no rows" while the list is empty). */
  footer?: ReactNode;
  children: ReactNode;
}

export function ListTable({ caption, hiddenCaption, columns, className, boxClassName, testId, footer, children }: ListTableProps) {
  return (
    <div className={boxClassName ? `table-responsive ${boxClassName}` : 'table-responsive'}>
      <table className={className ? `table stack-table ${className}` : 'table stack-table'} data-testid={testId}>
        <caption className={hiddenCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((heading, i) =>
              heading === false ? null : (
                // The columns are a fixed list written by the caller: their position is their identity.
                <th key={i} scope="col">
                  {heading}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {footer}
    </div>
  );
}

/**
 * The cell of a row's edit button: the visible label is the same on every row ("Modifica"), so the row's code
 * follows it for screen readers only, making each button's name unique ("Modifica MG09").
 */
export function EditCell({ label, code, onClick, disabled }: { label: string; code?: string; onClick: () => void; disabled?: boolean }) {
  return (
    <td>
      <button type="button" className="btn btn-sm btn-outline-primary" onClick={onClick} disabled={disabled}>
        {label} <span className="visually-hidden">{code}</span>
      </button>
    </td>
  );
}
