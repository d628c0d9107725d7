// A general measure links the ente's programme of general measures instead of copying it: picking one puts the
// programme's content in the measure (the server mirrors it on save and keeps it in step afterwards); "none"
// leaves a measure of the leaf's own.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgrammeMeasure } from '../../api/schema.gen';
import { loadProgramme, useEditorContext } from './data';
import { SelectField } from './fields';
import { plannedFromApi, type MeasureDraft } from './model';
import { ids } from './paths';
import { useStore } from './store';

/** The measure's content taken from a programme measure. */
export function fromProgramme(x: MeasureDraft, p: ProgrammeMeasure): MeasureDraft {
  return {
    ...x,
    programmeMeasure: p.id,
    generalCode: p.general_code || x.generalCode,
    ...plannedFromApi(p),
  };
}

export function ProgrammePicker({ m }: { m: MeasureDraft }) {
  const { t } = useTranslation('assessment');
  const { cycle } = useEditorContext();
  const store = useStore();
  const [programme, setProgramme] = useState<ProgrammeMeasure[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadProgramme(cycle).then(
      (l) => live && setProgramme(l),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [cycle]);
  const id = ids.measureField(m.uid, 'programme');
  if (failed) return <p className="small text-danger">{t('measure.programmeUnavailable')}</p>;
  if (!programme) return null;
  const options = programme.filter((p) => p.status !== 'dropped' || p.id === m.programmeMeasure);
  if (options.length === 0) return <p className="small">{t('measure.programmeEmpty')}</p>;
  return (
    <SelectField
      id={id}
      label={t('measure.programme')}
      hint={t('measure.programmeHint')}
      value={m.programmeMeasure ?? ''}
      onChange={(v) => {
        const p = programme.find((x) => x.id === v);
        store.updateMeasure(m.uid, (x) => (p ? fromProgramme(x, p) : { ...x, programmeMeasure: undefined }));
        store.clearError(id);
      }}
    >
      <option value="">{t('measure.programmeNone')}</option>
      {options.map((p) => (
        <option key={p.id} value={p.id}>{`${p.code} – ${p.title}`}</option>
      ))}
    </SelectField>
  );
}
