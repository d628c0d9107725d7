// The enabling factors (FA-a..FA-h and the ente's own): a table for everyone, and for the RPCT a form to add one.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { EnablingFactor } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { focusFirstInvalid, ProblemAlert, TextArea, TextField, type FieldErrors } from '../../components/FormKit';
import { ListTable } from '../../components/ListTable';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { byCode, minFactorDescription, problemsOfApi, validateFactorForm, type FactorForm } from './catalogueRules';
import { useProblemText } from './EventForm';

const emptyFactor: FactorForm = { code: '', description: '', source: 'ENTE' };
// The server's wording for a factor's code and description, which differ from an event's.
const factorCodes = { code_invalid: 'factor_code_invalid', too_short: 'factor_too_short' };

function AddFactorForm({ existing, onAdded }: { existing: EnablingFactor[]; onAdded: (f: EnablingFactor) => void }) {
  const { t } = useTranslation('catalogue');
  const text = useProblemText();
  const [f, setF] = useState<FactorForm>(emptyFactor);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (k: keyof FactorForm) => (v: string) => setF((x) => ({ ...x, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const p = validateFactorForm(f, existing);
    setErrors(text(p));
    if (Object.keys(p).length) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const added = await api.call<EnablingFactor>('POST /api/v1/catalogue/enabling-factors', {
        body: { code: f.code.trim(), description: f.description.trim(), source: f.source.trim() },
      });
      setF(emptyFactor);
      setErrors({});
      announce(t('factors.added', { code: added.code }));
      onAdded(added);
    } catch (err) {
      const fe = text(problemsOfApi(err, factorCodes));
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="factor-add-title" className="catalogue-form mt-4" data-testid="factor-form">
      <h3 id="factor-add-title" className="h5">
        {t('factors.addTitle')}
      </h3>
      <p className="small">{t('requiredNote')}</p>
      <TextField id="factor-code" label={t('factors.code')} value={f.code} onChange={set('code')} error={errors.code} hint={t('factors.codeHint')} autoComplete="off" spellCheck={false} required />
      <TextArea id="factor-description" label={t('factors.description')} value={f.description} onChange={set('description')} error={errors.description} hint={t('factors.descriptionHint', { n: minFactorDescription })} required />
      <TextField id="factor-source" label={t('factors.source')} value={f.source} onChange={set('source')} error={errors.source} hint={t('factors.sourceHint')} autoComplete="off" spellCheck={false} required />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('common:status.saving') : t('factors.add')}
      </button>
      <ProblemAlert error={failure} ns="catalogue" />
    </form>
  );
}

export function FactorsSection({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation('catalogue');
  const factors = useApi((signal) => api.call<{ items: EnablingFactor[] }>('GET /api/v1/catalogue/enabling-factors', { signal }).then((r) => r.items ?? []), []);
  const items = factors.data ?? [];
  return (
    <>
      <p>{t('factors.intro')}</p>
      <ErrorAlert error={factors.error} onRetry={factors.reload} />
      {factors.loading && !factors.data && <Loading />}
      {factors.data && (
        <ListTable
          caption={t('factors.caption')}
          columns={[t('factors.code'), t('factors.description'), t('factors.source')]}
          className="catalogue-table"
          testId="factors-table"
          footer={items.length === 0 && <p>{t('factors.empty')}</p>}
        >
          {items.map((f) => (
            <tr key={f.code}>
              <th scope="row" className="text-nowrap">
                {f.code}
              </th>
              <td>{f.description}</td>
              <td>{t(`sources.${f.source ?? ''}`, { defaultValue: f.source || '—' })}</td>
            </tr>
          ))}
        </ListTable>
      )}
      {canWrite && factors.data && <AddFactorForm existing={items} onAdded={(f) => factors.setData([...items, f].sort(byCode))} />}
    </>
  );
}
