// The campaign's leaves: per leaf its state and what it still lacks, the lead unit, the hand-off for
// signature and the exclusion; checkboxes select leaves for the bulk tools (copy an assessment, apply a
// measure, exclude with one reason), each with a preview before it writes.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { includeLeaf, loadLeaves, setLeadUnit } from '../../api/campaign';
import type { LeafStatus } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge, StateBadge } from '../../components/Badges';
import { CompletenessText } from '../../components/Completeness';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { ProblemAlert } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { ToSignList } from '../../components/ToSignList';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { CopyDialog, ExcludeDialog, LinkDialog } from './BulkDialogs';
import './campaign.css';

const STATES = ['none', 'draft', 'returned', 'submitted', 'approved'] as const;
type Tool = 'copy' | 'link' | 'exclude' | null;

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
  const [params] = useSearchParams();
  const copySource = params.get('copia') ?? undefined;
  const manage = s.can('cycle', 'manage');
  const writes = s.can('assessment', 'write');
  const [mine, setMine] = useState(s.myUnits.length > 0);
  const [state, setState] = useState('');
  // The RPCT's view before consolidating: only the leaves still neither approved nor excluded (?bloccanti=1).
  const [blocking, setBlocking] = useState(params.get('bloccanti') === '1');
  const list = useApi((signal) => loadLeaves(cycle, { mine, state: state || undefined }, signal), [cycle, mine, state]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tool, setTool] = useState<Tool>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const leaves = useMemo(() => (list.data ?? []).filter((l) => !blocking || (!l.excluded && l.state !== 'approved')), [list.data, blocking]);
  const sources = useMemo(() => leaves.filter((l) => l.state !== 'none'), [leaves]);
  const targets = leaves.filter((l) => selected.has(l.code)).map((l) => l.code);
  // The usual targets of a copy: the other leaves under the same parent as the source.
  const siblings = useMemo(() => {
    const parent = leaves.find((l) => l.code === copySource)?.parent;
    return parent ? leaves.filter((l) => l.parent === parent && l.code !== copySource).map((l) => l.code) : [];
  }, [leaves, copySource]);
  const allChecked = leaves.length > 0 && leaves.every((l) => selected.has(l.code));

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
          <span aria-live="polite">{t('bulk.selected', { count: targets.length })}</span>
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
          <div className="table-responsive campaign-table">
            <table className="table stack-table table-sm table-hover">
              <caption>{t('table.caption', { count: leaves.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      className="form-check-input"
                      type="checkbox"
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? new Set() : new Set(leaves.map((l) => l.code)))}
                      aria-label={t('table.selectAll')}
                    />
                  </th>
                  <th scope="col">{t('table.code')}</th>
                  <th scope="col">{t('table.leaf')}</th>
                  <th scope="col">{t('table.units')}</th>
                  <th scope="col">{t('table.state')}</th>
                  <th scope="col">{t('table.level')}</th>
                  <th scope="col">{t('table.completeness')}</th>
                  <th scope="col">{t('table.toSign')}</th>
                </tr>
              </thead>
              <tbody>
                {leaves.map((l) => (
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
              </tbody>
            </table>
          </div>
        ))}

      <CopyDialog open={tool === 'copy'} cycle={cycle} targets={targets} sources={sources} initialSource={copySource} onClose={() => setTool(null)} onDone={afterChange} />
      <LinkDialog open={tool === 'link'} cycle={cycle} targets={targets} sources={sources} onClose={() => setTool(null)} onDone={afterChange} />
      <ExcludeDialog open={tool === 'exclude'} cycle={cycle} targets={targets} onClose={() => setTool(null)} onDone={afterChange} />
    </Page>
  );
}
