// /registro: the whole register of the cycle as one sortable, filterable table.
//
// The register is loaded whole (pages of up to 1000 rows read in order by the API's cursor: the demo's fully
// assessed register is 530 rows, ~300 kB, read in tens of milliseconds) and filtered and sorted in the browser:
// every change of filter or sort is immediate, without a round trip, the table sorts by any column (the API has
// one order, the map's) and the register can offer filters the API lacks (residual level, decision, heat-map
// cell). Filters, sort and page live in the URL, so a view can be shared as a link; the page number is the one
// place a user jumps, and it needs no request.
// The table shows one page at a time (50 rows unless chosen otherwise: the whole register was ~10,000 elements
// and a second of blocked main thread on a phone); printing prints every row, sorted and filtered as shown.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useCycleCode, useSession } from '../../auth/session';
import { completenessView } from '../../components/Completeness';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { loadLeaves } from '../../api/campaign';
import type { LeafStatus } from '../../api/schema.gen';
import { cellLevel, loadMethodology, loadRegister, levelsOf, type Row } from '../../lib/register/data';
import { CycleComparison } from './CycleComparison';
import { ExportButtons } from './ExportButtons';
import { FilterForm, type FilterField } from '../../components/FilterForm';
import { filterRows, heatmapHref, pageCount, pageRows, pageSizes, parseQuery, rowsCarryCells, sortRows, toSearchParams, type Filters, type PageSize, type RegisterQuery, type SortKey } from '../../lib/register/query';
import { RegisterTable, type Labels } from './RegisterTable';
import { useFilterLists } from '../../lib/register/useFilterLists';
import './register.css';

const fields: FilterField[] = ['q', 'unit', 'risk_area', 'marker', 'level', 'residual_level', 'decision', 'measure_type', 'state'];

function CellNotice({ query, exact, levelOf, onRemove }: { query: RegisterQuery; exact: boolean; levelOf: (cell: string) => string; onRemove: () => void }) {
  const { t } = useTranslation('register');
  const cells: Array<{ key: 'inherent' | 'residual'; value: string }> = [];
  if (query.inherent_cell) cells.push({ key: 'inherent', value: query.inherent_cell });
  if (query.residual_cell) cells.push({ key: 'residual', value: query.residual_cell });
  if (cells.length === 0) return null;
  return (
    <div className="alert alert-info" data-testid="register-cell-notice">
      {cells.map(({ key, value }) => {
        const [likelihood, impact] = value.split('-');
        return (
          <p key={key} className="mb-1">
            {key === 'inherent' ? t('cell.inherent', { likelihood, impact }) : t('cell.residual', { likelihood, impact })}
          </p>
        );
      })}
      {!exact && (
        <p className="mb-2">
          {t('cell.approximate', {
            levels: cells.map(({ value }) => t(`common:levels.${levelOf(value)}`, { defaultValue: levelOf(value) }).toLowerCase()).join(', '),
          })}
        </p>
      )}
      <div className="d-flex flex-wrap gap-3 align-items-center">
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={onRemove}>
          {t('cell.remove')}
        </button>
        <Link to={heatmapHref(query)}>{t('cell.backToHeatmap')}</Link>
      </div>
    </div>
  );
}

/**
 * Whether the page is being printed: the printed register is the whole register (every page), so the rows are
 * rendered synchronously before the browser lays the sheets out, and the page goes back to one page after.
 */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  return printing;
}

/** A label function that looks each key up once (the page's rows repeat a handful of codes). */
function once<T>(f: (key: string) => T): (key?: string) => T {
  const seen = new Map<string, T>();
  return (key = '') => {
    if (!seen.has(key)) seen.set(key, f(key));
    return seen.get(key) as T;
  };
}

export default function RegisterPage() {
  const { t } = useTranslation('register');
  const { t: tc } = useTranslation();
  const session = useSession();
  const cycle = useCycleCode();
  const mapHash = session.cycle?.map_hash ?? '';
  const reviewer = session.can('assessment', 'review');
  const [sp, setSp] = useSearchParams();
  const query = useMemo(() => parseQuery(sp), [sp]);

  // Rows read so far while a register of more than one page loads, for the loading message.
  const [rowsRead, setRowsRead] = useState(0);
  const loaded = useApi(
    async (signal) => {
      if (!cycle) return { rows: [] as Row[], profile: undefined, leaves: new Map<string, LeafStatus>() };
      setRowsRead(0);
      // the leaves' completeness, as the campaign shows it, beside each row (the register works without it)
      const [rows, meth, leaves] = await Promise.all([
        loadRegister(cycle, signal, (n) => !signal.aborted && setRowsRead(n)),
        loadMethodology(cycle, signal).catch(() => null),
        loadLeaves(cycle, {}, signal).catch(() => [] as LeafStatus[]),
      ]);
      return { rows, profile: meth?.profile, leaves: new Map(leaves.map((l) => [l.code, l])) };
    },
    [cycle],
  );

  const { refs, measureTypes } = useFilterLists(cycle, mapHash);

  // Callbacks read the latest query through a ref, so they keep their identity and the memoised table does not
  // re-render when only the filters' text changes.
  const queryRef = useRef(query);
  queryRef.current = query;
  const setSpRef = useRef(setSp);
  setSpRef.current = setSp;
  const update = useCallback((patch: Partial<RegisterQuery>, resetPage = true) => {
    const next = { ...queryRef.current, ...patch };
    if (resetPage && patch.page === undefined) next.page = 1;
    setSpRef.current(toSearchParams(next), { replace: true });
  }, []);

  const levels = useMemo(() => levelsOf(loaded.data?.profile), [loaded.data?.profile]);
  const rows = loaded.data?.rows;

  const columnLabel = useCallback((k: SortKey) => t(`columns.${k}`), [t]);
  const onSort = useCallback(
    (key: SortKey) => {
      const q = queryRef.current;
      const dir = q.sort === key && q.dir === 'asc' ? 'desc' : 'asc';
      update({ sort: key, dir }, false);
      announce(t('sortedAnnounce', { column: columnLabel(key).toLowerCase(), direction: dir === 'asc' ? t('ascending') : t('descending') }));
    },
    [update, t, columnLabel],
  );

  // Each label looked up once per page, not once per row (issue #19: a page of 50 rows made some 300 lookups).
  const labels = useMemo<Labels>(() => {
    const levelLabel = new Map(levels.map((l) => [l.code, t(`common:levels.${l.code}`, { defaultValue: l.label })]));
    const missingLabel = (c: string) => t(`missing.${c}`, { defaultValue: c });
    const missingList = once((key) => t('missing.label', { list: key.split(' ').map(missingLabel).join(', ') }));
    // the link's title with a stand-in for the code, filled in per row
    const openTitle = (reviewer ? t('openReview', { code: '\u0000' }) : t('openAssessment', { code: '\u0000' })).split('\u0000');
    const completeness = once((key) => {
      const [state, complete, count] = key.split('|');
      return completenessView(tc, { state: state as LeafStatus['state'], complete: complete === 'true', missing_count: Number(count) });
    });
    return {
      level: once((c) => (c ? (levelLabel.get(c) ?? t(`common:levels.${c}`, { defaultValue: c })) : t('notAssessed'))),
      state: once((c) => t(`common:states.${c || 'none'}`, { defaultValue: c })),
      decision: once((c) => (c ? t(`decisions.${c}`, { defaultValue: c }) : '')),
      missing: (codes) => missingList(codes.join(' ')),
      noMeasures: t('noMeasures'),
      openTitle: (code) => openTitle.join(code),
      completeness: (leaf) => completeness(`${leaf.state}|${leaf.complete}|${leaf.missing_count}`),
    };
  }, [levels, t, tc, reviewer]);

  const hrefOf = useCallback((r: Row) => `${reviewer ? '/revisione' : '/valutazioni'}/${encodeURIComponent(r.node ?? '')}`, [reviewer]);

  const profile = loaded.data?.profile;
  const cellLevelOf = useCallback(
    (cell: string) => {
      const [l, i] = cell.split('-').map(Number);
      return cellLevel(profile, l, i);
    },
    [profile],
  );
  const markers = refs?.markers;
  const markersOfNode = useCallback((node: string) => markers?.[node], [markers]);
  const filtered = useMemo(() => (rows ? filterRows(rows, query, { cellLevel: cellLevelOf, markersOf: markers ? markersOfNode : undefined }) : []), [rows, query, cellLevelOf, markers, markersOfNode]);
  const decisionLabel = labels.decision;
  const sorted = useMemo(() => sortRows(filtered, query.sort, query.dir, { levels, decisionLabel: (c) => decisionLabel(c) }), [filtered, query.sort, query.dir, levels, decisionLabel]);
  const pages = pageCount(sorted.length, query.size);
  const page = Math.min(query.page, pages);
  const printing = usePrinting();
  const visible = useMemo(() => (printing ? sorted : pageRows(sorted, query.size, page)), [printing, sorted, query.size, page]);

  const filters = useMemo<Filters>(
    () => ({
      q: query.q,
      unit: query.unit,
      risk_area: query.risk_area,
      level: query.level,
      residual_level: query.residual_level,
      decision: query.decision,
      measure_type: query.measure_type,
      state: query.state,
      inherent_cell: query.inherent_cell,
      residual_cell: query.residual_cell,
      node: query.node,
      marker: query.marker,
    }),
    [query.q, query.unit, query.risk_area, query.level, query.residual_level, query.decision, query.measure_type, query.state, query.inherent_cell, query.residual_cell, query.node, query.marker],
  );
  const onFilter = useCallback((patch: Partial<Filters>) => update(patch), [update]);
  const onReset = useCallback(() => {
    const q = queryRef.current;
    setSpRef.current(toSearchParams({ sort: q.sort, dir: q.dir, size: q.size }), { replace: true });
  }, []);

  const total = rows?.length ?? 0;
  const countText = filtered.length === total ? t('count', { count: total }) : t('countOf', { count: filtered.length, total });
  const caption = `${t('caption', { cycle })}. ${
    query.sort ? t('captionSorted', { column: columnLabel(query.sort).toLowerCase(), direction: query.dir === 'asc' ? t('ascending') : t('descending') }) : t('captionMapOrder')
  }`;

  return (
    <Page
      title={t('title')}
      actions={
        <Link className="btn btn-outline-primary btn-sm" to={heatmapHref(filters)}>
          {t('heatmapLink')}
        </Link>
      }
    >
      <p>{t('intro', { cycle })}</p>
      <FilterForm
        idPrefix="register-filter"
        label={t('filters.label')}
        fields={fields}
        values={filters}
        onChange={onFilter}
        onReset={onReset}
        refs={refs}
        measureTypes={measureTypes}
        levels={levels}
        status={
          rows ? (
            <p role="status" className="mb-0 fw-semibold" data-testid="register-count">
              {countText}
            </p>
          ) : undefined
        }
      />
      <div className="mt-4">
        {loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : null}
        {!rows &&
          !loaded.error &&
          (rowsRead > 0 ? (
            <p role="status" data-testid="register-loading">
              {t('loadingRows', { count: rowsRead })}
            </p>
          ) : (
            <Loading />
          ))}
        {rows && (
          <>
            {query.node && (
              <div className="alert alert-info d-flex flex-wrap align-items-center gap-3" data-testid="register-node-notice">
                <p className="mb-0">{t('nodeFilter', { code: query.node })}</p>
                <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => update({ node: '' })}>
                  {t('nodeFilterRemove')}
                </button>
                <Link to={`/mappa?node=${encodeURIComponent(query.node)}`}>{t('nodeFilterMap')}</Link>
              </div>
            )}
            <CellNotice query={query} exact={rowsCarryCells(rows)} levelOf={cellLevelOf} onRemove={() => update({ inherent_cell: '', residual_cell: '' })} />
            <div className="d-flex flex-wrap justify-content-end align-items-center gap-2 mb-2 no-print">
              <label htmlFor="register-page-size" className="fw-semibold small mb-0">
                {t('pagination.size')}
              </label>
              <select id="register-page-size" className="form-select form-select-sm w-auto" value={query.size} onChange={(e) => update({ size: e.target.value as PageSize })}>
                {pageSizes.map((s) => (
                  <option key={s} value={s}>
                    {s === 'all' ? t('pagination.all') : s}
                  </option>
                ))}
              </select>
            </div>
            {total === 0 ? (
              <p className="alert alert-info">{t('empty')}</p>
            ) : filtered.length === 0 ? (
              <div className="alert alert-info">
                <p className="mb-2">{t('noMatch')}</p>
                <button type="button" className="btn btn-sm btn-outline-primary" onClick={onReset}>
                  {t('filters.reset')}
                </button>
              </div>
            ) : (
              <>
                {/* a keyboard-scrollable region: the header stays visible while the rows scroll */}
                <div className="register-scroll" tabIndex={0} role="region" aria-label={t('caption', { cycle })}>
                  <RegisterTable rows={visible} caption={caption} sort={query.sort} dir={query.dir} onSort={onSort} hrefOf={hrefOf} labels={labels} leaves={loaded.data?.leaves} />
                </div>
                <Pager page={page} pages={pages} label={t('pagination.label')} testId="register-pager" onPage={(p) => update({ page: p }, false)} />
              </>
            )}
          </>
        )}
        {cycle && session.can('cycle', 'manage') && (
          <p className="mt-4 mb-0">
            <Link to="/registro/importa">{t('importLink')}</Link>
          </p>
        )}
        {cycle && (
          <ExportButtons
            cycle={cycle}
            filters={{ q: query.q, unit: query.unit, risk_area: query.risk_area, level: query.level, measure_type: query.measure_type, state: query.state, inherent_cell: query.inherent_cell, residual_cell: query.residual_cell, marker: query.marker }}
          />
        )}
        {cycle && <CycleComparison cycle={cycle} />}
      </div>
    </Page>
  );
}
