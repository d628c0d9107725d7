// /mappa-di-calore: the count of risks per likelihood × impact cell, inherent and residual side by side, as two
// semantic tables (no chart library). Each non-empty cell links to the register filtered by that cell; the
// level of each cell comes from the cycle's methodology (matrix, or P×I bands for the numeric profiles) and is
// always written, the colour only repeats it. Filters are the register's, in the URL.
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Profile } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { levelsOf, loadMethodology } from '../../lib/register/data';
import { FilterForm, type FilterField } from '../../components/FilterForm';
import { emptyFilters, parseQuery, registerCellHref, toSearchParams, type Filters } from '../../lib/register/query';
import { useFilterLists } from '../../lib/register/useFilterLists';
import { buildGrid, cellAriaLabel, cellText, levelLabel, type Grid, type HeatmapResponse } from './grid';
import './heatmap.css';

const fields: FilterField[] = ['q', 'unit', 'risk_area', 'marker', 'level', 'measure_type', 'state'];

type Kind = 'inherent' | 'residual';

function HeatTable({ kind, grid, profile, filters }: { kind: Kind; grid: Grid; profile?: Profile | null; filters: Partial<Filters> }) {
  const { t } = useTranslation('heatmap');
  const kindLabel = kind === 'inherent' ? t('inherent') : t('residual');
  const captionId = `heat-${kind}-caption`;
  return (
    <figure className="heat-figure mb-0">
      <table className="heat-table" data-testid={`heatmap-${kind}`} aria-describedby={`heat-${kind}-total`}>
        <caption id={captionId}>{t('caption', { kind: kindLabel })}</caption>
        <thead>
          <tr>
            <td className="heat-corner">
              <span aria-hidden="true">
                {t('likelihood')} ↓<br />
                {t('impact')} →
              </span>
            </td>
            {grid.impact.map((i) => (
              <th key={i.value} scope="col" className="heat-col-header">
                {t('impactHeader', { value: i.value })}
                <span className="visually-hidden">, </span>
                <span className="d-block small fw-normal">{i.label}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((row, ri) => {
            const l = grid.likelihood[ri];
            return (
              <tr key={l.value}>
                <th scope="row" className="heat-row-header">
                  {t('likelihoodHeader', { value: l.value })}
                  <span className="visually-hidden">, </span>
                  <span className="d-block small fw-normal">{l.label}</span>
                </th>
                {row.map((c) => {
                  const label = levelLabel(t, profile, c.level);
                  return (
                    <td key={c.impact} className={`heat-cell level-${c.level || 'none'}${c.count === 0 ? ' heat-empty' : ''}`}>
                      {c.count > 0 ? (
                        <Link className="heat-link" to={registerCellHref(kind, c.likelihood, c.impact, filters)} aria-label={cellAriaLabel(t, c, label)}>
                          {cellText(t, c, label)}
                        </Link>
                      ) : (
                        <span className="heat-text">{cellText(t, c, label)}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <figcaption className="small mt-2" id={`heat-${kind}-total`}>
        {t('total', { count: grid.total })}
        {kind === 'residual' && <span className="d-block">{t('residualNote')}</span>}
      </figcaption>
    </figure>
  );
}

function Legend({ profile }: { profile?: Profile | null }) {
  const { t } = useTranslation('heatmap');
  const levels = levelsOf(profile);
  const name = profile?.name ?? profile?.code ?? '';
  const matrix = (profile?.matrix?.length ?? 0) > 0;
  return (
    <section className="heat-legend mt-4" aria-labelledby="heat-legend-title">
      <h2 id="heat-legend-title" className="h5">
        {t('legend.heading')}
      </h2>
      <p className="mb-2">{t('legend.cells')}</p>
      <p className="mb-1">{t('legend.levels')}</p>
      <ul className="list-inline mb-2">
        {levels.map((l) => (
          <li key={l.code} className="list-inline-item mb-1">
            <span className={`badge level-badge level-${l.code}`}>{levelLabel(t, profile, l.code)}</span>
          </li>
        ))}
      </ul>
      {name && <p className="mb-1">{matrix ? t('legend.matrix', { name }) : t('legend.bands', { name })}</p>}
      <p className="mb-0">{t('legend.empty')}</p>
    </section>
  );
}

export default function HeatmapPage() {
  const { t } = useTranslation('heatmap');
  const session = useSession();
  const cycle = useCycleCode();
  const mapHash = session.cycle?.map_hash ?? '';
  const [sp, setSp] = useSearchParams();
  const query = useMemo(() => parseQuery(sp), [sp]);
  const filters = useMemo<Filters>(
    () => ({ ...emptyFilters, q: query.q, unit: query.unit, risk_area: query.risk_area, marker: query.marker, level: query.level, measure_type: query.measure_type, state: query.state }),
    [query.q, query.unit, query.risk_area, query.marker, query.level, query.measure_type, query.state],
  );
  const apiQuery = { q: filters.q, unit: filters.unit, risk_area: filters.risk_area, marker: filters.marker, level: filters.level, measure_type: filters.measure_type, state: filters.state };
  const key = JSON.stringify(apiQuery);

  const loaded = useApi(
    async (signal) => {
      if (!cycle) return null;
      const [heat, meth] = await Promise.all([
        api.call<HeatmapResponse>('GET /api/v1/cycles/:cycle/heatmap', { params: { cycle }, query: apiQuery, signal }),
        loadMethodology(cycle, signal).catch(() => null),
      ]);
      return { heat, profile: meth?.profile ?? null, at: new Date().toISOString() };
    },
    [cycle, key],
  );

  const { refs, measureTypes } = useFilterLists(cycle, mapHash);

  const onFilter = useCallback((patch: Partial<Filters>) => setSp(toSearchParams({ ...filters, ...patch }), { replace: true }), [filters, setSp]);
  const onReset = useCallback(() => setSp(new URLSearchParams(), { replace: true }), [setSp]);

  const data = loaded.data;
  const profile = data?.profile;
  const inherent = useMemo(() => (data ? buildGrid(data.heat, 'inherent', profile) : null), [data, profile]);
  const residual = useMemo(() => (data ? buildGrid(data.heat, 'residual', profile) : null), [data, profile]);
  const registerSearch = toSearchParams(filters).toString();
  const registerHref = `/registro${registerSearch ? `?${registerSearch}` : ''}`;

  return (
    <Page
      title={t('title')}
      actions={
        <Link className="btn btn-outline-primary btn-sm" to={registerHref}>
          {t('registerLink')}
        </Link>
      }
    >
      <p>{t('intro')}</p>
      <FilterForm
        idPrefix="heatmap-filter"
        label={t('filtersLabel')}
        fields={fields}
        values={filters}
        onChange={onFilter}
        onReset={onReset}
        refs={refs}
        measureTypes={measureTypes}
        levels={levelsOf(profile)}
        status={
          inherent ? (
            <p role="status" className="mb-0 fw-semibold" data-testid="heatmap-count">
              {t('total', { count: inherent.total })}
            </p>
          ) : undefined
        }
      />
      <div className="mt-4">
        {loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : null}
        {!data && !loaded.error && <Loading />}
        {data && inherent && residual && (
          <>
            {inherent.total === 0 && residual.total === 0 && <p className="alert alert-info">{t('empty')}</p>}
            <div className="row g-4" aria-busy={loaded.loading}>
              <div className="col-12 col-xl-6">
                <h2 className="h4">{t('inherent')}</h2>
                <HeatTable kind="inherent" grid={inherent} profile={profile} filters={filters} />
              </div>
              <div className="col-12 col-xl-6">
                <h2 className="h4">{t('residual')}</h2>
                <HeatTable kind="residual" grid={residual} profile={profile} filters={filters} />
              </div>
            </div>
            <Legend profile={profile} />
            <p className="small mt-3 mb-2" data-testid="heatmap-source">
              {t('source', { cycle, date: formatDateTime(data.at) })}
            </p>
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={loaded.reload}>
              {t('refresh')}
            </button>
          </>
        )}
      </div>
    </Page>
  );
}
