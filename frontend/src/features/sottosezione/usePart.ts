// Loads a part of the sottosezione and saves it at the version read. A stale version (someone else saved
// meanwhile) reloads the part and reports the conflict, so the RPCT re-applies the change on fresh data.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { apiFieldErrors, focusFirstInvalid, type FieldErrors } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import { fieldOf, type PartSegment } from './model';

export interface PartViewBase<C> {
  version: number;
  simplified: boolean;
  content: C;
  computed: Record<string, unknown>;
}

export function usePart<V extends PartViewBase<C>, C>(cycle: string, part: PartSegment) {
  const { t } = useTranslation('sottosezione');
  const op = `/api/v1/cycles/:cycle/sottosezione/${part}` as const;
  const loaded = useApi((signal) => api.call<V>(`GET ${op}` as never, { params: { cycle }, signal }), [cycle, part]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [conflict, setConflict] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  /** Validates locally, then sends the content; returns the saved view (undefined when it was not saved). */
  async function save(e: FormEvent, content: C, local: FieldErrors = {}): Promise<V | undefined> {
    e.preventDefault();
    setFailure(null);
    setSaved(false);
    setConflict(false);
    if (Object.keys(local).length) {
      // Local checks give codes; the fields show Italian messages, as for the server's 422.
      setErrors(Object.fromEntries(Object.entries(local).map(([k, code]) => [k, t(`fieldErrors.${code}`, { defaultValue: t('fieldErrors.malformed') })])));
      focusFirstInvalid(form.current);
      return undefined;
    }
    setErrors({});
    setBusy(true);
    try {
      const v = await api.call<V>(`PUT ${op}` as never, { params: { cycle }, body: { version: loaded.data?.version ?? 0, content } });
      loaded.setData(v);
      setSaved(true);
      announce(t('saved'));
      return v;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        setConflict(true);
        loaded.reload();
        return undefined;
      }
      const fe = apiFieldErrors(t, err, 'sottosezione', fieldOf);
      setErrors(fe);
      if (Object.keys(fe).length) focusFirstInvalid(form.current);
      else setFailure(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { loaded, save, errors, failure, busy, saved, conflict, form };
}
