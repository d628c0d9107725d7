// The register table: plain rows (no virtualisation: 500 rows render in a few tens of milliseconds), each row
// memoised so a sort or filter re-renders only the rows that changed position, and the labels resolved once per
// table instead of per cell. Sortable headers: a <button> inside <th aria-sort>.
// A row mounts no component of its own (issue #19: a page of 50 rows was 150 components, a router Link and a
// translator per row, the heaviest part of the register's first render at phone speed): its link is a plain
// <a href> that the table's one click handler hands to the router, and its texts come from `labels`.
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeafStatus } from '../../api/schema.gen';
import { stateBadgeClass } from '../../components/Badges';
import { useRouterLinks } from '../../lib/routerLinks';
import type { Row } from '../../lib/register/data';
import type { SortDir, SortKey } from '../../lib/register/query';

export interface Labels {
  level: (code?: string) => string;
  state: (code?: string) => string;
  decision: (code?: string) => string;
  missing: (codes: string[]) => string;
  noMeasures: string;
  openTitle: (code: string) => string;
  /** A leaf's completeness, as CompletenessText shows it. */
  completeness: (leaf: LeafStatus) => { className?: string; text: string };
}

interface RowProps {
  row: Row;
  href: string;
  labels: Labels;
  /** Column headings, repeated on each cell as data-label: below 576 px the rows stack as cards (register.css). */
  heads: string[];
  /** The leaf's state and completeness, as the campaign lists it; absent while loading or if it failed. */
  leaf?: LeafStatus;
  /** The first row of a process (in map order): printing starts a new sheet there. */
  processStart?: boolean;
}

const RegisterRowView = memo(function RegisterRowView({ row, href, labels, heads, leaf, processStart }: RowProps) {
  const inh = row.inherent_level ?? '';
  const res = row.residual_level ?? '';
  const st = row.state || 'none';
  const missing = row.measures_missing ?? [];
  const done = leaf && labels.completeness(leaf);
  return (
    <tr className={processStart ? 'register-process-start' : undefined} data-process={processOf(row.node ?? '')}>
      <th scope="row" className="register-action">
        <a href={href} title={labels.openTitle(row.node ?? '')}>
          <span className="register-code">{row.node}</span> {row.node_title}
        </a>
      </th>
      <td className="register-event" data-label={heads[1]}>
        {row.event_description}
        {row.event_code && <span className="d-block small text-muted">{row.event_code}</span>}
      </td>
      <td data-label={heads[2]}>{(row.units ?? []).join(', ')}</td>
      <td data-label={heads[3]}>{(row.risk_areas ?? []).join(', ')}</td>
      <td data-label={heads[4]}>
        <span className={`badge level-badge level-${inh || 'none'}`}>{labels.level(inh)}</span>
      </td>
      <td data-label={heads[5]}>
        <span className={`badge level-badge level-${res || 'none'}`}>{labels.level(res)}</span>
      </td>
      <td data-label={heads[6]}>{labels.decision(row.decision)}</td>
      <td className="text-end" data-label={heads[7]}>{row.priority || ''}</td>
      <td data-label={heads[8]}>
        {row.measures ? <span className="register-measures">{row.measures}</span> : <span className="text-muted">{labels.noMeasures}</span>}
        {missing.length > 0 && <span className="d-block small register-missing">{labels.missing(missing)}</span>}
      </td>
      <td data-label={heads[9]}>
        {/* the shared StateBadge's classes, not the component, so 500 rows do not mount 500 translators */}
        <span className={stateBadgeClass(st)}>{labels.state(st)}</span>
      </td>
      <td data-label={heads[10]} data-testid="register-completeness">
        {done ? <span className={done.className}>{done.text}</span> : '—'}
      </td>
    </tr>
  );
});

/** The process a leaf belongs to: the first two parts of its code (B3.2 for B3.2.2.1). */
export function processOf(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}

/** Which rows open a process, for the rows in the order shown; all false unless they are in map order. */
export function processStarts(rows: Row[], mapOrder: boolean): boolean[] {
  return rows.map((r, i) => mapOrder && i > 0 && processOf(r.node ?? '') !== processOf(rows[i - 1].node ?? ''));
}

export interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
}

interface TableProps {
  rows: Row[];
  caption: string;
  sort: SortKey | '';
  dir: SortDir;
  onSort: (key: SortKey) => void;
  hrefOf: (row: Row) => string;
  labels: Labels;
  /** Each leaf's state and completeness by code (the campaign's list of leaves). */
  leaves?: ReadonlyMap<string, LeafStatus>;
}

function SortHeader({ col, sort, dir, onSort }: { col: Column; sort: SortKey | ''; dir: SortDir; onSort: (k: SortKey) => void }) {
  const active = sort === col.key;
  const ariaSort = active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} className={col.numeric ? 'text-end' : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(col.key)}>
        {col.label}
        <span className={`sort-icon${active ? ' sort-icon-active' : ''}`} aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export const RegisterTable = memo(function RegisterTable({ rows, caption, sort, dir, onSort, hrefOf, labels, leaves }: TableProps) {
  const { t } = useTranslation('register');
  const followLink = useRouterLinks();
  const columns = useMemo<Column[]>(
    () => [
      { key: 'action', label: t('columns.action') },
      { key: 'event', label: t('columns.event') },
      { key: 'units', label: t('columns.units') },
      { key: 'areas', label: t('columns.areas') },
      { key: 'inherent', label: t('columns.inherent') },
      { key: 'residual', label: t('columns.residual') },
      { key: 'decision', label: t('columns.decision') },
      { key: 'priority', label: t('columns.priority'), numeric: true },
      { key: 'measures', label: t('columns.measures') },
      { key: 'state', label: t('columns.state') },
    ],
    [t],
  );
  const heads = useMemo(() => [...columns.map((c) => c.label), t('columns.completeness')], [columns, t]);
  // In map order each process starts a new printed sheet (styles.css, @media print).
  const starts = useMemo(() => processStarts(rows, sort === '' || sort === 'action'), [rows, sort]);
  return (
    // the click handler only follows the rows' links (Enter on a link is a click too): no key handler is needed
    <table className="table stack-table table-sm table-hover table-sticky register-table stack-table-head mb-0" data-testid="register-table" onClick={followLink}>
      <caption className="register-caption">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <SortHeader key={c.key} col={c} sort={sort} dir={dir} onSort={onSort} />
          ))}
          <th scope="col">{t('columns.completeness')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <RegisterRowView
            key={r.risk_id ?? `${r.node}-${r.event_code}`}
            row={r}
            href={hrefOf(r)}
            labels={labels}
            heads={heads}
            leaf={leaves?.get(r.node ?? '')}
            processStart={starts[i]}
          />
        ))}
      </tbody>
    </table>
  );
});
