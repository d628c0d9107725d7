// The grid of publication obligations of the cycle: the RPCT starts it from the shipped list, assigns the offices
// producing and publishing each datum and adapts the rows; everyone who reads measures reads it.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RefItem, TransparencyObligation } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { apiFieldErrors, focusFirstInvalid, ProblemAlert, SelectField, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { EditCell, ListTable } from '../../components/ListTable';
import { announce } from '../../lib/announce';
import type { Loaded } from '../../lib/useApi';
import { checkObligation, obligationDraft, type ObligationDraft } from './model';

function ObligationForm({ cycle, row, units, onDone, onCancel }: { cycle: string; row?: TransparencyObligation; units: RefItem[]; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation('transparency');
  const [d, setD] = useState<ObligationDraft>(() => obligationDraft(row));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (patch: Partial<ObligationDraft>) => setD((x) => ({ ...x, ...patch }));
  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setFailure(null);
    const local = checkObligation(d);
    if (Object.keys(local).length) {
      setErrors(Object.fromEntries(Object.entries(local).map(([k, c]) => [k, t(`fieldErrors.${c}`)])));
      focusFirstInvalid(form.current);
      return;
    }
    setErrors({});
    setBusy(true);
    const { id, ...body } = d;
    try {
      if (id) await api.call('PUT /api/v1/cycles/:cycle/transparency/obligations/:id', { params: { cycle, id }, body });
      else await api.call('POST /api/v1/cycles/:cycle/transparency/obligations', { params: { cycle }, body });
      announce(t('saved'));
      onDone();
    } catch (err) {
      const fe = apiFieldErrors(t, err, 'transparency');
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  const unitSelect = (key: 'producing_unit' | 'publishing_unit') => (
    <SelectField id={`ob-${key}`} label={t(`fields.${key}`)} value={d[key]} onChange={(v) => set({ [key]: v })} error={errors[key]}>
      <option value="">{t('none')}</option>
      {units.map((u) => (
        <option key={u.code} value={u.code}>
          {u.code} – {u.title}
        </option>
      ))}
    </SelectField>
  );
  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} className="border rounded p-3 mb-3" aria-labelledby="ob-form-title">
      <h3 id="ob-form-title" className="h5">
        {d.id ? t('grid.editTitle', { code: row?.code }) : t('grid.newTitle')}
      </h3>
      <div className="row g-2">
        <div className="col-6 col-md-2">
          <TextField id="ob-code" label={t('fields.code')} value={d.code} onChange={(code) => set({ code })} error={errors.code} required />
        </div>
        <div className="col-12 col-md-5">
          <TextField id="ob-section" label={t('fields.section')} value={d.section} onChange={(section) => set({ section })} error={errors.section} required />
        </div>
        <div className="col-12 col-md-5">
          <TextField id="ob-subsection" label={t('fields.subsection')} value={d.subsection} onChange={(subsection) => set({ subsection })} error={errors.subsection} />
        </div>
      </div>
      <TextField id="ob-obligation" label={t('fields.obligation')} value={d.obligation} onChange={(obligation) => set({ obligation })} error={errors.obligation} required />
      <TextArea id="ob-content" label={t('fields.content')} value={d.content} onChange={(content) => set({ content })} error={errors.content} rows={2} />
      <div className="row g-2">
        <div className="col-12 col-md-4">
          <TextField id="ob-reference" label={t('fields.legal_reference')} value={d.legal_reference} onChange={(legal_reference) => set({ legal_reference })} error={errors.legal_reference} />
        </div>
        <div className="col-6 col-md-2">
          <TextField id="ob-frequency" label={t('fields.frequency')} value={d.frequency} onChange={(frequency) => set({ frequency })} error={errors.frequency} />
        </div>
        <div className="col-6 col-md-3">
          <TextField id="ob-deadline" label={t('fields.deadline')} value={d.deadline} onChange={(deadline) => set({ deadline })} error={errors.deadline} />
        </div>
        <div className="col-12 col-md-3">
          <TextField id="ob-source" label={t('fields.source')} value={d.source} onChange={(source) => set({ source })} error={errors.source} />
        </div>
        <div className="col-12 col-md-6">{unitSelect('producing_unit')}</div>
        <div className="col-12 col-md-6">{unitSelect('publishing_unit')}</div>
      </div>
      <ProblemAlert error={failure} ns="transparency" />
      <div className="d-flex gap-2 flex-wrap">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function ObligationsSection({ cycle, canEdit, grid, units }: { cycle: string; canEdit: boolean; grid: Loaded<TransparencyObligation[]>; units: RefItem[] }) {
  const { t } = useTranslation('transparency');
  const [editing, setEditing] = useState<TransparencyObligation | 'new' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rows = grid.data ?? [];
  async function seed() {
    setFailure(null);
    setBusy(true);
    try {
      grid.setData(await api.call<TransparencyObligation[]>('POST /api/v1/cycles/:cycle/transparency/obligations/seed', { params: { cycle } }));
      announce(t('grid.seeded'));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  if (grid.loading && !grid.data) return <Loading />;
  if (grid.error !== null) return <ErrorAlert error={grid.error} onRetry={grid.reload} />;
  const unitName = (code?: string) => units.find((u) => u.code === code)?.title ?? code ?? '';
  return (
    <>
      {rows.length === 0 && <p>{t('grid.empty')}</p>}
      {canEdit && rows.length === 0 && (
        <button type="button" className="btn btn-primary mb-3" onClick={() => void seed()} disabled={busy}>
          {t('grid.seed')}
        </button>
      )}
      {canEdit && rows.length > 0 && editing === null && (
        <button type="button" className="btn btn-outline-primary mb-3" onClick={() => setEditing('new')}>
          {t('grid.add')}
        </button>
      )}
      {canEdit && editing !== null && (
        <ObligationForm
          cycle={cycle}
          row={editing === 'new' ? undefined : editing}
          units={units}
          onCancel={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            grid.reload();
          }}
        />
      )}
      <ProblemAlert error={failure} ns="transparency" />
      {rows.length > 0 && (
        <ListTable
          caption={t('grid.caption', { n: rows.length })}
          columns={[
            t('fields.code'),
            t('fields.section'),
            t('fields.obligation'),
            t('fields.legal_reference'),
            t('fields.frequency'),
            t('fields.producing_unit'),
            t('fields.publishing_unit'),
            t('fields.deadline'),
            canEdit && t('actions'),
          ]}
          className="table-sm"
        >
          {rows.map((o) => (
            <tr key={o.id}>
              <th scope="row">{o.code}</th>
              <td>
                {o.section}
                {o.subsection && <div className="small text-muted">{o.subsection}</div>}
              </td>
              <td>
                {o.obligation}
                <div className="small text-muted">{t('grid.source', { source: o.source })}</div>
              </td>
              <td>{o.legal_reference}</td>
              <td>{o.frequency}</td>
              <td>{unitName(o.producing_unit) || t('grid.unassigned')}</td>
              <td>{unitName(o.publishing_unit) || t('grid.unassigned')}</td>
              <td>{o.deadline}</td>
              {canEdit && <EditCell label={t('edit')} code={o.code} onClick={() => setEditing(o)} />}
            </tr>
          ))}
        </ListTable>
      )}
    </>
  );
}
