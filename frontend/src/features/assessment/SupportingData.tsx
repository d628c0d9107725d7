// "Dati a supporto": the context items (GET /cycles/:cycle/sottosezione/context) a judgement's reason cites. The
// context is read once per cycle for every judgement of the page; the server checks each id on save.
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ContextItem, ContextPartView } from '../../api/schema.gen';
import { useApi } from '../../lib/useApi';
import { HiddenSuffix } from './fields';

const cache = new Map<string, Promise<ContextItem[]>>();

function contextItems(cycle: string): Promise<ContextItem[]> {
  let p = cache.get(cycle);
  if (!p) {
    p = api
      .call<ContextPartView>('GET /api/v1/cycles/:cycle/sottosezione/context', { params: { cycle } })
      .then((v) => [...(v?.content?.external?.items ?? []), ...(v?.content?.internal?.items ?? [])])
      .catch((e) => {
        cache.delete(cycle);
        throw e;
      });
    cache.set(cycle, p);
  }
  return p;
}

/** Forgets the cached context (tests; a context saved in another tab shows on the next page load). */
export function resetContextCache() {
  cache.clear();
}

function describe(it: ContextItem): string {
  const figure = it.value !== undefined && it.value !== null ? `: ${it.value.toLocaleString('it-IT')}${it.unit ? ` ${it.unit}` : ''}` : '';
  const year = it.year ? ` (${it.year})` : '';
  return `${it.label}${figure}${year}`;
}

export function SupportingData({ id, cycle, value, suffix, onChange }: { id: string; cycle: string; value: string[]; suffix: string; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation('assessment');
  const items = useApi(() => contextItems(cycle), [cycle]);
  const list = items.data ?? [];
  const known = new Set(list.map((i) => i.id));
  const missing = value.filter((v) => items.data && !known.has(v));
  if (!items.data || (list.length === 0 && value.length === 0)) return null;
  const toggle = (itemId: string, on: boolean) => onChange(on ? [...value, itemId] : value.filter((v) => v !== itemId));
  return (
    <fieldset className="supporting-data mb-3" data-testid={`${id}-supporting`}>
      <legend className="h6">
        {t('judgement.supportingData')}
        <HiddenSuffix text={suffix} />
      </legend>
      <p className="small">{t('judgement.supportingDataHint')}</p>
      {list.map((it, i) => {
        const cid = `${id}-supporting-${i}`;
        return (
          <div className="form-check" key={it.id}>
            <input className="form-check-input" type="checkbox" id={cid} checked={value.includes(it.id ?? '')} onChange={(e) => toggle(it.id ?? '', e.target.checked)} />
            <label className="form-check-label" htmlFor={cid}>
              {describe(it)}
            </label>
          </div>
        );
      })}
      {missing.map((m, i) => (
        <div className="form-check" key={m}>
          <input className="form-check-input" type="checkbox" id={`${id}-supporting-missing-${i}`} checked onChange={() => toggle(m, false)} />
          <label className="form-check-label" htmlFor={`${id}-supporting-missing-${i}`}>
            {t('judgement.supportingDataMissing')}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** The cited context items as text, for the read-only view of an assessment. */
export function SupportingDataList({ cycle, value }: { cycle: string; value: string[] }) {
  const { t } = useTranslation('assessment');
  const items = useApi(() => (value.length ? contextItems(cycle) : Promise.resolve([] as ContextItem[])), [cycle, value.length]);
  if (value.length === 0) return null;
  const byId = new Map((items.data ?? []).map((i) => [i.id, i]));
  return (
    <ul className="mb-0 ps-3">
      {value.map((id) => {
        const it = byId.get(id);
        return <li key={id}>{it ? describe(it) : items.data ? t('judgement.supportingDataMissing') : id}</li>;
      })}
    </ul>
  );
}
