// The programme of general measures (/misure-generali): planned once for the whole ente in the cycle and linked
// by the leaves' assessments. Everyone who reads measures reads it (the OIV too); the RPCT plans it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { EnablingFactor, GeneralMeasure, MeasureType, ProgrammeMeasure, Tree } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ConfirmDialog, ProblemAlert } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDate } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { ProgrammeForm, type ProgrammeRefs } from './ProgrammeForm';
import { ProgrammeMonitoring } from './ProgrammeMonitoring';

export default function ProgrammePage() {
  const { t } = useTranslation('programme');
  const s = useSession();
  const cycle = s.cycle;
  const code = cycle?.code ?? '';
  const canEdit = s.can('cycle', 'manage') && cycle?.state === 'open';
  const list = useApi((signal) => (code ? api.call<ProgrammeMeasure[]>('GET /api/v1/cycles/:cycle/general-measures', { params: { cycle: code }, signal }) : Promise.resolve([])), [code]);
  const refs = useApi<ProgrammeRefs>(async (signal) => {
    if (!code || !canEdit) return { units: [], areas: [], types: [], generals: [], factors: [] };
    const [tree, types, generals, factors] = await Promise.all([
      api.call<Tree>('GET /api/v1/cycles/:cycle/process-map', { params: { cycle: code }, signal }),
      api.call<{ items: MeasureType[] }>('GET /api/v1/catalogue/measure-types', { signal }),
      api.call<{ items: GeneralMeasure[] }>('GET /api/v1/catalogue/general-measures', { signal }),
      api.call<{ items: EnablingFactor[] }>('GET /api/v1/catalogue/enabling-factors', { signal }),
    ]);
    return {
      units: tree.units ?? [],
      areas: tree.risk_areas ?? [],
      types: (types.items ?? []).map((x) => ({ code: x.code ?? '', name: x.name ?? '' })),
      generals: (generals.items ?? []).map((g) => ({ code: g.code ?? '', name: g.name ?? '', legal_basis: g.legal_basis, measure_type: g.measure_type, enabling_factors: g.enabling_factors ?? [] })),
      factors: (factors.items ?? []).map((f) => ({ code: f.code ?? '', description: f.description ?? '' })),
    };
  }, [code, canEdit]);
  const measures = list.data ?? [];
  const [editing, setEditing] = useState<ProgrammeMeasure | 'new' | null>(null);
  const [removing, setRemoving] = useState<ProgrammeMeasure | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [linked, setLinked] = useState<number | null>(null);

  async function linkByCode() {
    setFailure(null);
    try {
      const r = await api.call<{ linked: number }>('POST /api/v1/cycles/:cycle/general-measures/link-by-code', { params: { cycle: code } });
      setLinked(r.linked);
      announce(t('linkByCode.done', { count: r.linked }));
      list.reload();
    } catch (err) {
      setFailure(err);
    }
  }

  async function remove(m: ProgrammeMeasure) {
    setFailure(null);
    try {
      await api.call('DELETE /api/v1/cycles/:cycle/general-measures/:id', { params: { cycle: code, id: m.id ?? '' }, query: { version: m.version ?? 0 } });
      announce(t('removed'));
      list.reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setRemoving(null);
    }
  }

  return (
    <Page title={t('title')} crumbs={[{ label: t('title') }]}>
      <p>{t('intro')}</p>
      {!cycle && <p>{t('noCycle')}</p>}
      {list.loading && !list.data && <Loading />}
      {list.error !== null && <ErrorAlert error={list.error} onRetry={list.reload} />}
      {canEdit && editing === null && (
        <div className="d-flex gap-2 flex-wrap mb-3">
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={!refs.data}>
            {t('add')}
          </button>
          {measures.length > 0 && (
            <button type="button" className="btn btn-outline-primary" onClick={() => void linkByCode()}>
              {t('linkByCode.button')}
            </button>
          )}
        </div>
      )}
      {linked !== null && <p role="status">{t('linkByCode.done', { count: linked })}</p>}
      {canEdit && editing !== null && refs.data && (
        <ProgrammeForm
          cycle={code}
          measure={editing === 'new' ? undefined : editing}
          refs={refs.data}
          onCancel={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      <ProblemAlert error={failure} ns="programme" />
      {list.data && measures.length === 0 && <p>{t('empty')}</p>}
      {measures.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table table-sm">
            <caption>{t('caption', { cycle: code })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('fields.code')}</th>
                <th scope="col">{t('fields.title')}</th>
                <th scope="col">{t('fields.type')}</th>
                <th scope="col">{t('fields.unit')}</th>
                <th scope="col">{t('fields.period')}</th>
                <th scope="col">{t('fields.scope')}</th>
                <th scope="col">{t('fields.status')}</th>
                <th scope="col">{t('fields.links')}</th>
                {canEdit && <th scope="col">{t('actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {measures.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.code}</th>
                  <td>
                    {m.title}
                    {m.legal_basis && <div className="small text-muted">{m.legal_basis}</div>}
                    {(m.enabling_factors ?? []).length > 0 && <div className="small">{t('factorsLine', { list: (m.enabling_factors ?? []).join(', ') })}</div>}
                    {m.cost_note && <div className="small">{t('costLine', { note: m.cost_note })}</div>}
                    {(m.missing ?? []).length > 0 && <div className="small text-danger">{t('missing', { what: (m.missing ?? []).map((x) => t(`missingItems.${x}`)).join(', ') })}</div>}
                  </td>
                  <td>{m.type}</td>
                  <td>{m.unit}</td>
                  <td>
                    {formatDate(m.start)} – {formatDate(m.end)}
                  </td>
                  <td>{[...(m.areas ?? []).map((a) => t('area', { code: a })), ...(m.processes ?? [])].join(', ') || t('wholeEnte')}</td>
                  <td>{t(`status.${m.status ?? 'new'}`)}</td>
                  <td>{m.links ?? 0}</td>
                  {canEdit && (
                    <td>
                      <div className="d-flex gap-1 flex-wrap">
                        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setEditing(m)} disabled={!refs.data}>
                          {t('edit')} <span className="visually-hidden">{m.code}</span>
                        </button>
                        <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setRemoving(m)} disabled={(m.links ?? 0) > 0}>
                          {t('remove')} <span className="visually-hidden">{m.code}</span>
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cycle && (
        <section aria-labelledby="pm-monitoring" className="mt-4">
          <h2 id="pm-monitoring" className="h3">
            {t('monitoring.title')}
          </h2>
          <ProgrammeMonitoring cycle={code} />
        </section>
      )}
      <ConfirmDialog id="pm-remove" open={removing !== null} danger title={t('confirmRemove.title')} confirmLabel={t('remove')} onConfirm={() => removing && void remove(removing)} onCancel={() => setRemoving(null)}>
        {t('confirmRemove.body', { code: removing?.code ?? '' })}
      </ConfirmDialog>
    </Page>
  );
}
