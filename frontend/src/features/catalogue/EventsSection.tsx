// The risk events of the catalogue: filters in the URL (area, state, text), the table, and for the RPCT the
// creation, the edit and the one-click validation of the starter events.
import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { RefItem, RiskEvent } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { problemMessage } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { formatNumber } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { FilterSelect, refOptions, SearchForm } from '../../components/FilterForm';
import { ListTable } from '../../components/ListTable';
import { loadRefs } from '../../lib/register/data';
import { areaChoices, byCode, eventBody, eventFormOf, eventStates, filterEvents, parseEventFilters, withEventFilters, type EventFilters } from './catalogueRules';
import { areaLabel, EventFormDialog } from './EventForm';

const listEvents = (signal?: AbortSignal) => api.call<{ items: RiskEvent[] }>('GET /api/v1/catalogue/risk-events', { signal }).then((r) => r.items ?? []);

export function EventsSection({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation('catalogue');
  const s = useSession();
  const [params, setParams] = useSearchParams();
  const filters = parseEventFilters(params);
  const events = useApi((signal) => listEvents(signal), []);
  // Area titles come from the selected cycle's process map (the app's list of the ente's risk areas).
  const cycle = s.cycle;
  const canMap = s.can('processmap', 'read');
  const mapAreas = useApi(
    () => (cycle && canMap ? loadRefs(cycle.code, cycle.map_hash).then((r) => r.areas).catch(() => [] as RefItem[]) : Promise.resolve([] as RefItem[])),
    [cycle?.code, cycle?.map_hash, canMap],
  );
  const all = useMemo(() => events.data ?? [], [events.data]);
  const areas = useMemo(() => areaChoices(mapAreas.data ?? [], all), [mapAreas.data, all]);
  const shown = useMemo(() => filterEvents(all, filters), [all, filters.q, filters.risk_area, filters.stato]); // eslint-disable-line react-hooks/exhaustive-deps
  const toValidate = all.filter((e) => e.to_validate).length;

  const [editing, setEditing] = useState<RiskEvent | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [busyCode, setBusyCode] = useState('');
  const [rowProblem, setRowProblem] = useState<{ code: string; message: string } | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  const change = (patch: Partial<EventFilters>) => setParams(withEventFilters(params, patch), { replace: true });
  const reset = () => setParams(withEventFilters(params, { q: '', risk_area: '', stato: '' }), { replace: true });

  const upsert = (e: RiskEvent) => {
    const rest = all.filter((x) => x.code !== e.code);
    events.setData(e.active === false ? rest : [...rest, e].sort(byCode));
  };

  /** The event as stored now, refreshing the list; null when it is no longer listed. */
  const reloadEvent = async (code: string) => {
    const items = await listEvents();
    events.setData(items);
    return items.find((e) => e.code === code) ?? null;
  };

  async function validate(e: RiskEvent) {
    setBusyCode(e.code);
    setRowProblem(null);
    try {
      const saved = await api.call<RiskEvent>('PATCH /api/v1/catalogue/risk-events/:code', {
        params: { code: e.code },
        body: eventBody({ ...eventFormOf(e), validated: true }, e),
      });
      upsert(saved);
      announce(t('events.validatedDone', { code: e.code }));
      // Working through the list: focus goes on to the next event to validate, else back to this row.
      const next = shown.slice(shown.findIndex((x) => x.code === e.code) + 1).find((x) => x.to_validate)?.code;
      window.setTimeout(() => {
        const target = (next && document.querySelector<HTMLElement>(`[data-testid="event-validate-${next}"]`)) || document.querySelector<HTMLElement>(`[data-testid="event-edit-${e.code}"]`);
        target?.focus();
      }, 0);
    } catch (err) {
      const message =
        err instanceof ApiError && err.code === 'version_conflict'
          ? t('events.validateConflict', { code: e.code })
          : `${t('events.validateFailed', { code: e.code })} ${problemMessage(t, err, 'catalogue')}`;
      setRowProblem({ code: e.code, message });
      if (err instanceof ApiError && err.code === 'version_conflict') await reloadEvent(e.code).catch(() => null);
      window.setTimeout(() => problemRef.current?.focus(), 0);
    } finally {
      setBusyCode('');
    }
  }

  const openForm = (e: RiskEvent | null) => {
    setEditing(e);
    setFormOpen(true);
  };

  const stateOptions = eventStates.map((v) => ({ value: v, label: t(`events.stateOptions.${v}`) }));
  // The count is a live region: before the catalogue arrives it must not announce "0 eventi su 0", which reads as
  // an empty catalogue; a failed load says nothing here (the error alert speaks).
  const status = (
    <p id="events-count" className="small mb-0" aria-live="polite" data-testid="events-count">
      {events.data
        ? t('events.count', { count: shown.length, n: formatNumber(shown.length), total: formatNumber(all.length) })
        : events.loading && t('events.countLoading')}
    </p>
  );

  return (
    <>
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2 mb-2">
        <p className="mb-0">
          {t('events.intro')} {events.data && toValidate > 0 && t('events.toValidateCount', { n: formatNumber(toValidate) })}
        </p>
        {canWrite && (
          <button type="button" className="btn btn-primary" onClick={() => openForm(null)} data-testid="event-create">
            {t('events.create')}
          </button>
        )}
      </div>
      <SearchForm
        label={t('events.filtersLabel')}
        search={{ id: 'events-q', label: t('events.q'), hint: t('events.qHint'), value: filters.q, onChange: (q) => change({ q }) }}
        status={status}
        resetLabel={t('events.reset')}
        onReset={reset}
      >
        <FilterSelect
          id="events-area"
          label={t('events.area')}
          value={filters.risk_area}
          any={t('events.anyArea')}
          options={refOptions(areas).map((o) => ({ ...o, label: areaLabel(o.value, areas) }))}
          onChange={(risk_area) => change({ risk_area })}
        />
        <FilterSelect id="events-state" label={t('events.state')} value={filters.stato} any={t('events.anyState')} options={stateOptions} onChange={(v) => change({ stato: v as EventFilters['stato'] })} />
      </SearchForm>
      <ErrorAlert error={events.error} onRetry={events.reload} />
      {events.loading && !events.data && <Loading />}
      {rowProblem && (
        <div ref={problemRef} tabIndex={-1} className="alert alert-warning mt-3" role="alert" data-testid="event-row-problem">
          {rowProblem.message}
        </div>
      )}
      {events.data && (
        <ListTable
          caption={t('events.caption')}
          columns={[t('events.code'), t('events.areas'), t('events.description'), t('events.source'), t('events.status'), canWrite && t('events.actions')]}
          className="catalogue-table"
          boxClassName="mt-3"
          testId="events-table"
          footer={shown.length === 0 && <p>{all.length === 0 ? t('events.empty') : t('events.none')}</p>}
        >
          {shown.map((e) => (
            <tr key={e.code}>
              <th scope="row" className="text-nowrap">
                {e.code}
              </th>
              <td>
                {(e.risk_areas ?? []).length === 0 ? (
                  t('areaNone')
                ) : (
                  <ul className="list-unstyled mb-0">
                    {(e.risk_areas ?? []).map((a) => (
                      <li key={a}>{areaLabel(a, areas)}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="catalogue-desc">{e.description}</td>
              <td>{t(`sources.${e.source ?? ''}`, { defaultValue: e.source || '—' })}</td>
              <td className="text-nowrap">
                {e.to_validate ? <span className="badge catalogue-badge-todo">{t('events.toValidate')}</span> : <span className="badge catalogue-badge-ok">{t('events.validated')}</span>}
              </td>
              {canWrite && (
                <td>
                  <div className="d-flex flex-wrap gap-1">
                    <button type="button" className="btn btn-sm btn-outline-primary text-nowrap" onClick={() => openForm(e)} data-testid={`event-edit-${e.code}`}>
                      {t('events.edit')}
                      {' '}
                      <span className="visually-hidden">{e.code}</span>
                    </button>
                    {e.to_validate && (
                      <button
                        type="button"
                        className="btn btn-sm btn-primary text-nowrap"
                        onClick={() => void validate(e)}
                        disabled={busyCode === e.code}
                        data-testid={`event-validate-${e.code}`}
                      >
                        {busyCode === e.code ? t('common:status.saving') : t('events.validate')}
                        {' '}
                        <span className="visually-hidden">{e.code}</span>
                      </button>
                    )}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      {canWrite && (
        <EventFormDialog
          open={formOpen}
          event={editing}
          areas={areas}
          onClose={() => setFormOpen(false)}
          reloadEvent={reloadEvent}
          onSaved={(e) => {
            upsert(e);
            setFormOpen(false);
          }}
        />
      )}
    </>
  );
}
