// The campaign's leaves: per leaf its state and what it still lacks, the lead unit, the hand-off for
// signature and the exclusion; checkboxes select leaves for the bulk tools (copy an assessment, apply a
// measure, exclude with one reason), each with a preview before it writes.
//
// The list shows 50 leaves a page (the demo's 265 leaves all at once were ~4,300 elements; a page is under
// 1,500), the page in the URL (?pagina=) so that the back button returns to it. The selection is of the
// filtered list, not of the page: it is kept across pages, a bulk tool acts on every selected leaf the filters
// list wherever its page, and leaves a filter hides leave the selection (the bar says how many selected leaves
// are on other pages). The header's checkbox selects the page shown; the bar's button the whole list.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { includeLeaf, loadLeaves, setLeadUnit } from '../../api/campaign';
import type { LeafStatus } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge, StateBadge } from '../../components/Badges';
import { CompletenessText } from '../../components/Completeness';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ProblemAlert } from '../../components/FormKit';
import { ListTable } from '../../components/ListTable';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { ToSignList } from '../../components/ToSignList';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { CopyDialog, ExcludeDialog, LinkDialog } from './BulkDialogs';
import './campaign.css';

const STATES = ['none', 'draft', 'returned', 'submitted', 'approved'] as const;
type Tool = 'copy' | 'link' | 'exclude' | null;

/** Leaves a page: 50 rows of ~16 elements each keep the page under 1,500 elements. */
export const campaignPageSize = 50;

export function LeafRow({
  leaf,
  checked,
  onToggle,
  manage,
  onLeadUnit,
  onInclude,
}: {
  leaf: LeafStatus;
  checked: boolean;
  onToggle: () => void;
  manage: boolean;
  onLeadUnit: (unit: string) => void;
  onInclude: () => void;
}) {
  const { t } = useTranslation('campaign');
  const id = `leaf-${leaf.code.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <tr>
      <td>
        <input className="form-check-input" type="checkbox" id={id} checked={checked} onChange={onToggle} aria-label={t('table.select', { code: leaf.code, title: leaf.title })} />
      </td>
      <th scope="row">
        <Link to={`/valutazioni/${encodeURIComponent(leaf.code)}`}>{leaf.code}</Link>
      </th>
      <td>{leaf.title}</td>
      <td>
        {manage && leaf.units.length > 1 ? (
          <select className="form-select form-select-sm" value={leaf.lead_unit} onChange={(e) => onLeadUnit(e.target.value)} aria-label={t('table.leadUnitOf', { code: leaf.code })}>
            {leaf.units.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        ) : (
          <>
            {leaf.units.map((u, i) => (
              <span key={u}>
                {i > 0 && ', '}
                {u}
                {u === leaf.lead_unit && leaf.units.length > 1 && <span className="small"> {t('table.lead')}</span>}
              </span>
            ))}
          </>
        )}
      </td>
      <td>
        <StateBadge state={leaf.state} /> {leaf.excluded && <StateBadge state="excluded" />}
        {leaf.excluded && manage && (
          <button type="button" className="btn btn-link btn-sm p-0 ms-1 d-block" onClick={onInclude}>
            {t('table.include', { code: leaf.code })}
          </button>
        )}
      </td>
      <td>{leaf.level ? <LevelBadge level={leaf.level} /> : '—'}</td>
      <td>
        <CompletenessText leaf={leaf} />
      </td>
      <td>{leaf.handed_off ? t('table.handedOff', { who: leaf.handed_off.by_name || leaf.handed_off.by, when: formatDateTime(leaf.handed_off.at) }) : '—'}</td>
    </tr>
  );
}

export default function CampaignPage() {
  const { t } = useTranslation('campaign');
  const s = useSession();
  const cycle = useCycleCode();
  const [params, setParams] = useSearchParams();
  const copySource = params.get('copia') ?? undefined;
  const manage = s.can('cycle', 'manage');
  const writes = s.can('assessment', 'write');
  const [mine, setMineState] = useState(s.myUnits.length > 0);
  const [state, setStateFilter] = useState('');
  // The RPCT's view before consolidating: only the leaves still neither approved nor excluded (?bloccanti=1).
  const [blocking, setBlockingState] = useState(params.get('bloccanti') === '1');
  const list = useApi((signal) => loadLeaves(cycle, { mine, state: state || undefined }, signal), [cycle, mine, state]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tool, setTool] = useState<Tool>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const leaves = useMemo(() => (list.data ?? []).filter((l) => !blocking || (!l.excluded && l.state !== 'approved')), [list.data, blocking]);
  const sources = useMemo(() => leaves.filter((l) => l.state !== 'none'), [leaves]);
  const targets = leaves.filter((l) => selected.has(l.code)).map((l) => l.code);

  // The page: ?pagina= when the user chose one; otherwise the first, or, when a copy starts from a leaf, the
  // page of that leaf (its siblings, the usual targets, follow it in map order).
  const pages = Math.max(1, Math.ceil(leaves.length / campaignPageSize));
  const asked = Number(params.get('pagina'));
  const sourceIndex = copySource ? leaves.findIndex((l) => l.code === copySource) : -1;
  const page = Math.min(pages, Number.isInteger(asked) && asked >= 1 ? asked : sourceIndex >= 0 ? Math.floor(sourceIndex / campaignPageSize) + 1 : 1);
  const visible = useMemo(() => leaves.slice((page - 1) * campaignPageSize, page * campaignPageSize), [leaves, page]);
  const setPage = (p: number) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (p <= 1 && !copySource) next.delete('pagina');
        else next.set('pagina', String(p));
        return next;
      },
      { replace: true },
    );
  // A filter changes the list: back to its first page.
  const resettingPage =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      if (params.has('pagina')) setPage(1);
    };
  const setMine = resettingPage(setMineState);
  const setState = resettingPage(setStateFilter);
  const setBlocking = resettingPage(setBlockingState);
  // Leaves the filters no longer list leave the selection: a bulk tool acts only on what the list shows.
  useEffect(() => {
    if (!list.data) return;
    setSelected((prev) => {
      const listed = new Set(leaves.map((l) => l.code));
      const kept = new Set([...prev].filter((c) => listed.has(c)));
      return kept.size === prev.size ? prev : kept;
    });
  }, [leaves, list.data]);
  const visibleCodes = new Set(visible.map((l) => l.code));
  const offPage = targets.filter((c) => !visibleCodes.has(c)).length;
  // The usual targets of a copy: the other leaves under the same parent as the source.
  const siblings = useMemo(() => {
    const parent = leaves.find((l) => l.code === copySource)?.parent;
    return parent ? leaves.filter((l) => l.parent === parent && l.code !== copySource).map((l) => l.code) : [];
  }, [leaves, copySource]);
  const pageChecked = visible.length > 0 && visible.every((l) => selected.has(l.code));
  const selectPage = (on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      visible.forEach((l) => (on ? next.add(l.code) : next.delete(l.code)));
      return next;
    });

  const toggle = (code: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  // The dialog stays open on its result; the list behind it shows the new states.
  const afterChange = () => list.reload();
  const rowAction = async (f: () => Promise<unknown>, message: string) => {
    setRowError(null);
    try {
      await f();
      announce(message);
      list.reload();
    } catch (e) {
      setRowError(e);
    }
  };

  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      {s.roles.has('director') && <ToSignList />}
      <form className="row g-3 align-items-end mb-3" onSubmit={(e) => e.preventDefault()} aria-label={t('filters.label')}>
        {s.myUnits.length > 0 && (
          <div className="col-sm-6 col-lg-4">
            <div className="form-check">
              <input className="form-check-input" type="checkbox" id="campaign-mine" checked={mine} onChange={(e) => setMine(e.target.checked)} />
              <label className="form-check-label" htmlFor="campaign-mine">
                {t('filters.mine', { units: s.myUnits.join(', ') })}
              </label>
            </div>
          </div>
        )}
        {manage && (
          <div className="col-sm-6 col-lg-4">
            <div className="form-check">
              <input className="form-check-input" type="checkbox" id="campaign-blocking" checked={blocking} onChange={(e) => setBlocking(e.target.checked)} />
              <label className="form-check-label" htmlFor="campaign-blocking">
                {t('filters.blocking')}
              </label>
            </div>
          </div>
        )}
        <div className="col-sm-6 col-lg-4">
          <div className="select-wrapper">
            <label htmlFor="campaign-state">{t('filters.state')}</label>
            <select id="campaign-state" className="form-select" value={state} onChange={(e) => setState(e.target.value)}>
              <option value="">{t('filters.anyState')}</option>
              {STATES.map((st) => (
                <option key={st} value={st}>
                  {t(`common:states.${st}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
      </form>

      {(writes || manage) && (
        <div className="campaign-bulk d-flex flex-wrap gap-2 align-items-center mb-3" role="group" aria-label={t('bulk.label')}>
          <span aria-live="polite" data-testid="campaign-selected">
            {t('bulk.selected', { count: targets.length })}
            {offPage > 0 && <> {t('bulk.offPage', { count: offPage })}</>}
          </span>
          {targets.length < leaves.length && (
            <button type="button" className="btn btn-link btn-sm" onClick={() => setSelected(new Set(leaves.map((l) => l.code)))}>
              {t('bulk.selectAll', { count: leaves.length })}
            </button>
          )}
          {targets.length > 0 && (
            <button type="button" className="btn btn-link btn-sm" onClick={() => setSelected(new Set())}>
              {t('bulk.clear')}
            </button>
          )}
          {writes && (
            <>
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={targets.length === 0} onClick={() => setTool('copy')}>
                {t('bulk.copy')}
              </button>
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={targets.length === 0} onClick={() => setTool('link')}>
                {t('bulk.link')}
              </button>
            </>
          )}
          {manage && (
            <button type="button" className="btn btn-outline-danger btn-sm" disabled={targets.length === 0} onClick={() => setTool('exclude')}>
              {t('bulk.exclude')}
            </button>
          )}
          {pages > 1 && <p className="small mb-0 w-100">{t('bulk.scope')}</p>}
        </div>
      )}
      {copySource && (
        <div className="alert alert-info" role="note">
          <p className="mb-2">{t('bulk.copyHint', { code: copySource })}</p>
          {siblings.length > 0 && (
            <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setSelected(new Set(siblings))}>
              {t('bulk.selectSiblings', { code: copySource, count: siblings.length })}
            </button>
          )}
        </div>
      )}
      <ProblemAlert error={rowError} ns="campaign" />
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading && <Loading />}
      {list.data &&
        (leaves.length === 0 ? (
          <p>{t('table.none')}</p>
        ) : (
          <>
            <ListTable
              caption={pages > 1 ? t('table.captionPage', { caption: t('table.caption', { count: leaves.length }), page, pages }) : t('table.caption', { count: leaves.length })}
              columns={[
                <input className="form-check-input" type="checkbox" checked={pageChecked} onChange={() => selectPage(!pageChecked)} aria-label={t('table.selectPage')} />,
                t('table.code'),
                t('table.leaf'),
                t('table.units'),
                t('table.state'),
                t('table.level'),
                t('table.completeness'),
                t('table.toSign'),
              ]}
              className="table-sm table-hover"
              boxClassName="campaign-table"
            >
              {visible.map((l) => (
                <LeafRow
                  key={l.code}
                  leaf={l}
                  checked={selected.has(l.code)}
                  onToggle={() => toggle(l.code)}
                  manage={manage}
                  onLeadUnit={(u) => void rowAction(() => setLeadUnit(cycle, l.code, u), t('table.leadUnitSet', { code: l.code, unit: u }))}
                  onInclude={() => void rowAction(() => includeLeaf(cycle, l.code), t('table.included', { code: l.code }))}
                />
              ))}
            </ListTable>
            <Pager page={page} pages={pages} onPage={setPage} label={t('table.pages')} testId="campaign-pager" />
          </>
        ))}

      <CopyDialog open={tool === 'copy'} cycle={cycle} targets={targets} sources={sources} initialSource={copySource} onClose={() => setTool(null)} onDone={afterChange} />
      <LinkDialog open={tool === 'link'} cycle={cycle} targets={targets} sources={sources} onClose={() => setTool(null)} onDone={afterChange} />
      <ExcludeDialog open={tool === 'exclude'} cycle={cycle} targets={targets} onClose={() => setTool(null)} onDone={afterChange} />
    </Page>
  );
}
