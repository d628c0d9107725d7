// Context analysis (PNA 2019 All. 1 §3): external and internal narrative, and the items (figures with their year,
// source and date; stakeholders; staff by unit; past events). The map's coverage and the year-over-year series
// are computed by the server and shown read-only.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContextAnalysis, ContextItem } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { SelectField, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { formatNumber } from '../../lib/format';
import { externalCategories, idOf, internalCategories, isIsoDate, isYear, parseNumber, type ContextView } from './model';
import { PartHeader, SaveBar } from './PartStatus';
import { usePart } from './usePart';

type Scope = 'external' | 'internal';

/** An item being edited: numbers as the user types them. */
interface DraftItem {
  id?: string;
  category: string;
  label: string;
  value: string;
  unit: string;
  year: string;
  org_unit: string;
  source: string;
  source_date: string;
  text: string;
}

interface Draft {
  external: { text: string; items: DraftItem[] };
  internal: { text: string; items: DraftItem[] };
  demo?: boolean;
}

const toDraftItem = (it: ContextItem): DraftItem => ({
  id: it.id,
  category: it.category,
  label: it.label,
  value: it.value === undefined || it.value === null ? '' : String(it.value),
  unit: it.unit ?? '',
  year: it.year ? String(it.year) : '',
  org_unit: it.org_unit ?? '',
  source: it.source ?? '',
  source_date: it.source_date ?? '',
  text: it.text ?? '',
});

export function toDraft(c: ContextAnalysis): Draft {
  return {
    external: { text: c.external.text, items: c.external.items.map(toDraftItem) },
    internal: { text: c.internal.text, items: c.internal.items.map(toDraftItem) },
    demo: c.demo,
  };
}

/** Local checks, keyed like the server's paths; and the content to send. */
export function fromDraft(d: Draft): { content: ContextAnalysis; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const scope = (s: Scope) => ({
    text: d[s].text,
    items: d[s].items.map((it, i): ContextItem => {
      const p = `${s}.items[${i}]`;
      if (!it.label.trim()) errors[`${p}.label`] = 'required';
      const value = parseNumber(it.value);
      if (value !== undefined && Number.isNaN(value)) errors[`${p}.value`] = 'number_invalid';
      if (it.year && !isYear(it.year)) errors[`${p}.year`] = 'year_invalid';
      if (value !== undefined && !it.year) errors[`${p}.year`] = 'year_invalid';
      if (it.source_date && !isIsoDate(it.source_date)) errors[`${p}.source_date`] = 'date_invalid';
      const out: ContextItem = { category: it.category, label: it.label.trim() };
      if (it.id) out.id = it.id;
      if (value !== undefined && !Number.isNaN(value)) out.value = value;
      if (it.year && isYear(it.year)) out.year = Number(it.year);
      for (const k of ['unit', 'org_unit', 'source', 'source_date', 'text'] as const) if (it[k].trim()) out[k] = it[k].trim();
      return out;
    }),
  });
  return { content: { external: scope('external'), internal: scope('internal'), demo: d.demo }, errors };
}

const emptyItem = (category: string): DraftItem => ({
  category,
  label: '',
  value: '',
  unit: '',
  year: '',
  org_unit: '',
  source: '',
  source_date: '',
  text: '',
});

function ScopeEditor({ scope, draft, setDraft, errors, canEdit, simplified }: { scope: Scope; draft: Draft; setDraft: (d: Draft) => void; errors: FieldErrors; canEdit: boolean; simplified: boolean }) {
  const { t } = useTranslation('sottosezione');
  const cats = scope === 'external' ? externalCategories : internalCategories;
  const s = draft[scope];
  const msg = (k: string) => errors[k];
  const setScope = (patch: Partial<Draft[Scope]>) => setDraft({ ...draft, [scope]: { ...s, ...patch } });
  const setItem = (i: number, patch: Partial<DraftItem>) => setScope({ items: s.items.map((it, j) => (j === i ? { ...it, ...patch } : it)) });
  const field = (i: number, k: keyof DraftItem) => `${scope}.items[${i}].${k}`;
  return (
    <fieldset className="mb-4" disabled={!canEdit}>
      <legend className="h4">{t(`context.${scope}`)}</legend>
      <TextArea id={idOf('ctx', `${scope}.text`)} label={t('context.text')} value={s.text} onChange={(v) => setScope({ text: v })} error={msg(`${scope}.text`)} rows={4} />
      <h3 className="h5">{t('context.items')}</h3>
      <p className="small">{t('context.itemsHint')}</p>
      {s.items.length === 0 && <p>{t('context.none')}</p>}
      {s.items.map((it, i) => (
        <fieldset key={it.id ?? `new-${i}`} className="border rounded p-2 mb-2 sottosezione-item">
          <legend className="h6">{t('context.item', { n: i + 1, scope: t(`context.${scope}`) })}</legend>
          <div className="row g-2">
            <div className="col-12 col-md-4">
              <SelectField id={idOf('ctx', field(i, 'category'))} label={t('context.category')} value={it.category} onChange={(v) => setItem(i, { category: v })} error={msg(field(i, 'category'))} required>
                {cats.map((c) => (
                  <option key={c} value={c}>
                    {t(`context.categories.${c}`)}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="col-12 col-md-8">
              <TextField id={idOf('ctx', field(i, 'label'))} label={t('context.label')} value={it.label} onChange={(v) => setItem(i, { label: v })} error={msg(field(i, 'label'))} required />
            </div>
            <div className="col-6 col-md-3">
              <TextField id={idOf('ctx', field(i, 'value'))} label={t('context.value')} value={it.value} onChange={(v) => setItem(i, { value: v })} error={msg(field(i, 'value'))} inputMode="text" />
            </div>
            <div className="col-6 col-md-3">
              <TextField id={idOf('ctx', field(i, 'unit'))} label={t('context.unit')} value={it.unit} onChange={(v) => setItem(i, { unit: v })} error={msg(field(i, 'unit'))} />
            </div>
            <div className="col-6 col-md-3">
              <TextField id={idOf('ctx', field(i, 'year'))} label={t('context.year')} value={it.year} onChange={(v) => setItem(i, { year: v })} error={msg(field(i, 'year'))} />
            </div>
            {/* the simplified regime waives staff by unit: the field shows only where a value was given */}
            {scope === 'internal' && (!simplified || it.org_unit) && (
              <div className="col-6 col-md-3">
                <TextField id={idOf('ctx', field(i, 'org_unit'))} label={t('context.orgUnit')} hint={t('context.orgUnitHint')} value={it.org_unit} onChange={(v) => setItem(i, { org_unit: v })} error={msg(field(i, 'org_unit'))} />
              </div>
            )}
            <div className="col-12 col-md-6">
              <TextField id={idOf('ctx', field(i, 'source'))} label={t('context.source')} value={it.source} onChange={(v) => setItem(i, { source: v })} error={msg(field(i, 'source'))} />
            </div>
            <div className="col-12 col-md-6">
              <TextField id={idOf('ctx', field(i, 'source_date'))} label={t('context.sourceDate')} type="date" value={it.source_date} onChange={(v) => setItem(i, { source_date: v })} error={msg(field(i, 'source_date'))} />
            </div>
            <div className="col-12">
              <TextArea id={idOf('ctx', field(i, 'text'))} label={t('context.itemText')} value={it.text} onChange={(v) => setItem(i, { text: v })} error={msg(field(i, 'text'))} rows={2} />
            </div>
          </div>
          {canEdit && (
            <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => setScope({ items: s.items.filter((_, j) => j !== i) })}>
              {t('remove')} <span className="visually-hidden">{t('context.item', { n: i + 1, scope: t(`context.${scope}`) })}</span>
            </button>
          )}
        </fieldset>
      ))}
      {canEdit && (
        <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setScope({ items: [...s.items, emptyItem(cats[0])] })}>
          {t('add')} <span className="visually-hidden">{t(`context.${scope}`)}</span>
        </button>
      )}
    </fieldset>
  );
}

function Computed({ view }: { view: ContextView }) {
  const { t } = useTranslation('sottosezione');
  const c = view.computed.coverage;
  const trends = view.computed.trends ?? [];
  return (
    <>
      {c && (
        <section aria-labelledby="ctx-coverage" className="mb-4">
          <h2 id="ctx-coverage" className="h4">
            {t('context.coverage')}
          </h2>
          <ul data-testid="coverage">
            <li>{t('context.coverageProcesses', { n: c.processes, s: c.subprocesses, l: c.leaves })}</li>
            <li>{t('context.coverageAssessed', { n: c.assessed_leaves, p: formatNumber(c.assessed_percent), x: c.excluded_leaves })}</li>
            <li>{t('context.coverageMarked', { n: c.marked, d: c.described })}</li>
            <li>{t('context.coverageGaps', { u: c.processes_without_unit.join(', ') || '0', a: c.processes_without_area.join(', ') || '0' })}</li>
          </ul>
        </section>
      )}
      {trends.length > 0 && (
        <section aria-labelledby="ctx-trends" className="mb-4">
          <h2 id="ctx-trends" className="h4">
            {t('context.trends')}
          </h2>
          <div className="table-responsive">
            <table className="table stack-table table-sm" data-testid="trends">
              <caption>{t('context.trendCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('context.trendCol')}</th>
                  <th scope="col">{t('context.trendYears')}</th>
                  <th scope="col">{t('context.trendChange')}</th>
                </tr>
              </thead>
              <tbody>
                {trends.map((tr, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {tr.label}
                      {tr.org_unit ? ` (${tr.org_unit})` : ''}
                    </th>
                    <td>{tr.points.map((p) => `${p.year}: ${formatNumber(p.value)}`).join('; ')}</td>
                    <td>{tr.change === undefined || tr.change === null ? '–' : (tr.change > 0 ? '+' : '') + formatNumber(tr.change)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}

export function ContextSection({ cycle, canEdit }: { cycle: string; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const p = usePart<ContextView, ContextAnalysis>(cycle, 'context');
  const v = p.loaded.data;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [seen, setSeen] = useState<number | undefined>(undefined);
  if (v && seen !== v.version) {
    setSeen(v.version);
    setDraft(toDraft(v.content));
  }
  if (p.loaded.loading && !v) return <Loading />;
  if (!v || !draft) return <ErrorAlert error={p.loaded.error} onRetry={p.loaded.reload} />;
  return (
    <>
      <PartHeader version={v.version} demo={v.content.demo} canEdit={canEdit} />
      {v.simplified && <p className="alert alert-info">{t('simplifiedOn')}</p>}
      <Computed view={v} />
      <form
        ref={p.form}
        noValidate
        onSubmit={(e) => {
          const { content, errors } = fromDraft(draft);
          void p.save(e, content, errors);
        }}
      >
        {canEdit && <p className="small">{t('requiredNote')}</p>}
        <ScopeEditor scope="external" draft={draft} setDraft={setDraft} errors={p.errors} canEdit={canEdit} simplified={v.simplified} />
        <ScopeEditor scope="internal" draft={draft} setDraft={setDraft} errors={p.errors} canEdit={canEdit} simplified={v.simplified} />
        {canEdit && <SaveBar busy={p.busy} saved={p.saved} conflict={p.conflict} failure={p.failure} />}
      </form>
    </>
  );
}
