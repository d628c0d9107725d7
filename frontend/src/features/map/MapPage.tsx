// /mappa: the cycle's process map (GET /process-map, ~450 nodes, loaded once) as an expandable tree with search
// and filters applied in the browser, the detail of the selected node beside it, and for each leaf the state of
// its assessment and its risk level, read from the register in one request. Filters and selection live in the URL.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { loadLeaves } from '../../api/campaign';
import { useCycleCode, useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { levelsOf, loadMethodology, loadRegister, loadTree, refsOf } from '../../lib/register/data';
import { FilterSelect, refOptions, SearchForm } from '../../components/FilterForm';
import { NodePanel } from './NodePanel';
import { branchCodes, countNodes, filterTree, leafStatuses, parseMapQuery, withCompleteness, toMapParams, type LeafStatus, type MapFilters, type MapQuery } from './tree';
import { TreeView } from './TreeView';
import './map.css';

export default function MapPage() {
  const { t } = useTranslation('map');
  const session = useSession();
  const cycle = useCycleCode();
  const mapHash = session.cycle?.map_hash ?? '';
  const canAssess = session.can('assessment', 'read');
  const [sp, setSp] = useSearchParams();
  const query = useMemo(() => parseMapQuery(sp), [sp]);
  const filters = useMemo<MapFilters>(
    () => ({ q: query.q, unit: query.unit, risk_area: query.risk_area, objective: query.objective, marker: query.marker }),
    [query.q, query.unit, query.risk_area, query.objective, query.marker],
  );

  // the tree fresh (its risk levels change as assessments are saved); the register for the leaves' states
  const tree = useApi(() => (cycle ? loadTree(cycle, mapHash, true) : Promise.resolve(null)), [cycle, mapHash]);
  const [statuses, setStatuses] = useState<Map<string, LeafStatus>>();
  const [statusError, setStatusError] = useState(false);
  useEffect(() => {
    if (!cycle || !canAssess) return;
    const ctl = new AbortController();
    setStatuses(undefined);
    setStatusError(false);
    // The leaves' completeness comes in one more request for the whole map; without it the tree shows the states.
    Promise.all([loadRegister(cycle, ctl.signal), loadMethodology(cycle, ctl.signal).catch(() => null), loadLeaves(cycle, {}, ctl.signal).catch(() => [])])
      .then(([rows, meth, leaves]) => setStatuses(withCompleteness(leafStatuses(rows, levelsOf(meth?.profile)), leaves)))
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setStatusError(true);
      });
    return () => ctl.abort();
  }, [cycle, canAssess]);

  const nodes = useMemo(() => tree.data?.nodes ?? [], [tree.data]);
  const refs = useMemo(() => (tree.data ? refsOf(tree.data) : undefined), [tree.data]);
  const filter = useMemo(() => filterTree(nodes, filters), [nodes, filters]);

  // Expansion: the user's; when the filters change, the matches' ancestors until the user opens or closes
  // something (derived, so a filtered link shows its matches at the first paint). A selected node in a shared
  // link opens its ancestors.
  const filterKey = `${JSON.stringify(filters)}#${nodes.length}`;
  const [userExpanded, setUserExpanded] = useState<{ key: string; set: Set<string> }>({ key: '', set: new Set() });
  const expanded = filter && userExpanded.key !== filterKey ? filter.open : userExpanded.set;
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;
  const setExpanded = useCallback(
    (f: (current: Set<string>) => Set<string>) => setUserExpanded({ key: filterKey, set: f(expandedRef.current) }),
    [filterKey],
  );
  const openedFor = useRef('');
  useEffect(() => {
    if (!query.node || nodes.length === 0 || openedFor.current === query.node) return;
    openedFor.current = query.node;
    const path: string[] = [];
    const find = (list: typeof nodes, trail: string[]): boolean => {
      for (const n of list) {
        if (n.code === query.node) {
          path.push(...trail);
          return true;
        }
        if (find(n.children ?? [], [...trail, n.code])) return true;
      }
      return false;
    };
    if (find(nodes, []) && path.length > 0 && path.some((c) => !expandedRef.current.has(c))) setExpanded((e) => new Set([...e, ...path]));
  }, [query.node, nodes, setExpanded]);

  const onToggle = useCallback(
    (code: string) => {
      setExpanded((e) => {
        const next = new Set(e);
        if (next.has(code)) next.delete(code);
        else next.add(code);
        return next;
      });
    },
    [setExpanded],
  );
  const expandAll = () => {
    setExpanded(() => new Set(filter ? [...filter.visible] : branchCodes(nodes)));
    announce(t('expanded'));
  };
  const collapseAll = () => {
    setExpanded(() => new Set());
    announce(t('collapsed'));
  };

  const queryRef = useRef(query);
  queryRef.current = query;
  const update = useCallback((patch: Partial<MapQuery>) => setSp(toMapParams({ ...queryRef.current, ...patch }), { replace: true }), [setSp]);
  const reset = () => setSp(toMapParams({ node: queryRef.current.node }), { replace: true });

  const hrefOf = useCallback((code: string) => `?${toMapParams({ ...filters, node: code }).toString()}`, [filters]);
  const closeHref = `?${toMapParams(filters).toString()}`;

  const counts = tree.data?.counts;
  const total = useMemo(() => countNodes(nodes), [nodes]);
  const selectedStatus = query.node ? statuses?.get(query.node) : undefined;

  return (
    <Page title={t('title')}>
      <p className="mb-1">{t('intro', { cycle })}</p>
      {/* The sentence keeps its place while the map loads (dashes for the figures), so the form below it is not
          pushed down when the figures arrive (a layout shift, issue #19). */}
      <p className="small" aria-hidden={counts ? undefined : true}>
        {counts
          ? t('counts', { macro: counts.macro ?? 0, process: counts.process ?? 0, subprocess: counts.subprocess ?? 0, action: counts.action ?? 0, leaves: counts.leaves ?? 0 })
          : t('counts', { macro: '–', process: '–', subprocess: '–', action: '–', leaves: '–' })}
      </p>
      <SearchForm
        label={t('filters.label')}
        search={{ id: 'map-filter-q', label: t('filters.q'), hint: t('filters.qHint'), value: query.q, onChange: (q) => update({ q }) }}
        status={
          tree.data && (
            <p role="status" className="mb-0 fw-semibold" data-testid="map-count">
              {filter ? t('found', { count: filter.matches.size }) : t('all', { count: total })}
            </p>
          )
        }
        resetLabel={t('filters.reset')}
        onReset={reset}
      >
        <FilterSelect id="map-filter-unit" label={t('filters.unit')} value={filters.unit} any={t('filters.any')} options={refOptions(refs?.units)} onChange={(v) => update({ unit: v })} />
        <FilterSelect id="map-filter-area" label={t('filters.riskArea')} value={filters.risk_area} any={t('filters.any')} options={refOptions(refs?.areas)} onChange={(v) => update({ risk_area: v })} />
        <FilterSelect id="map-filter-objective" label={t('filters.objective')} value={filters.objective} any={t('filters.anyMasc')} options={refOptions(refs?.objectives)} onChange={(v) => update({ objective: v })} />
        <FilterSelect
          id="map-filter-marker"
          label={t('filters.marker')}
          value={filters.marker}
          any={t('filters.any')}
          options={[
            { value: '*', label: t('markers.mandatory') },
            { value: '**', label: t('markers.priority') },
            { value: 'none', label: t('filters.markerNone') },
          ]}
          onChange={(v) => update({ marker: v })}
        />
      </SearchForm>

      <div className="row g-4 mt-1">
        <div className={query.node ? 'col-12 col-xl-7' : 'col-12'}>
          {tree.error ? <ErrorAlert error={tree.error} onRetry={tree.reload} /> : null}
          {!tree.data && !tree.error && <Loading />}
          {tree.data && (
            <>
              <div className="d-flex flex-wrap gap-2 mb-2">
                <button type="button" className="btn btn-sm btn-outline-secondary" onClick={expandAll}>
                  {t('expandAll')}
                </button>
                <button type="button" className="btn btn-sm btn-outline-secondary" onClick={collapseAll}>
                  {t('collapseAll')}
                </button>
              </div>
              {canAssess && !statuses && !statusError && <p className="small text-muted mb-2">{t('statesLoading')}</p>}
              {canAssess && statusError && <p className="small mb-2">{t('statesUnavailable')}</p>}
              {nodes.length === 0 ? (
                <p className="alert alert-info">{t('empty')}</p>
              ) : filter && filter.matches.size === 0 ? (
                <p className="alert alert-info">{t('noMatch')}</p>
              ) : (
                <TreeView
                  nodes={nodes}
                  label={t('treeLabel', { cycle })}
                  filter={filter}
                  expanded={expanded}
                  onToggle={onToggle}
                  selected={query.node}
                  hrefOf={hrefOf}
                  statuses={canAssess ? statuses : undefined}
                  showRisk={canAssess}
                />
              )}
            </>
          )}
        </div>
        {query.node && cycle && (
          // Beside the tree on wide screens; above it on narrow ones, where below would be after the whole tree.
          <div className="col-12 col-xl-5 order-first order-xl-last">
            <div className="map-panel-sticky">
              <NodePanel
                cycle={cycle}
                code={query.node}
                refs={refs}
                status={selectedStatus}
                canAssess={canAssess}
                canDescribe={session.can('cycle', 'manage')}
                statusesKnown={statuses !== undefined}
                hrefOf={hrefOf}
                closeHref={closeHref}
              />
            </div>
          </div>
        )}
      </div>
    </Page>
  );
}
