// The reference lists the register's filters offer (units, risk areas, measure types): loaded in the background,
// since they only label the filters and must not hold up the table or the heat map.
import { useEffect, useState } from 'react';
import type { MeasureType } from '../../api/schema.gen';
import { loadMeasureTypes, loadRefs, type Refs } from './data';

export function useFilterLists(cycle: string, mapHash: string): { refs?: Refs; measureTypes?: MeasureType[] } {
  const [refs, setRefs] = useState<Refs>();
  const [measureTypes, setMeasureTypes] = useState<MeasureType[]>();
  useEffect(() => {
    if (!cycle) return;
    let live = true;
    loadRefs(cycle, mapHash)
      .then((r) => live && setRefs(r))
      .catch(() => undefined);
    loadMeasureTypes()
      .then((m) => live && setMeasureTypes(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [cycle, mapHash]);
  return { refs, measureTypes };
}
