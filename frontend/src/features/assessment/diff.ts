// What changed on the server between the version the assessor started from and the current one, in words:
// shown when saving meets a version conflict, so the assessor can decide between their input and the other.
// The comparison itself is the shared one (lib/assessmentDiff), as on the review screen and in the audit trail.
import type { TFunction } from 'i18next';
import type { Assessment } from '../../api/schema.gen';
import { diffAssessments as compare, diffLines, noLookups, type DiffLookups } from '../../lib/assessmentDiff';
import { allIndicators, type Profile } from './model';

export interface Change {
  /** The section: "Valutazione", the risk "ER-M-01 – …", the measure's title. */
  where: string;
  /** What changed there, one line each. */
  what: string[];
}

/** The profile's indicators and levels, so values read as words ("Alto (3)"). */
function lookupsOf(p: Profile | null): DiffLookups {
  if (!p) return noLookups;
  return {
    ...noLookups,
    indicators: new Map(allIndicators(p).map((i) => [i.code, { name: i.name, levels: i.levels ?? [] }])),
    levelLabels: new Map((p.risk_levels ?? []).map((l) => [l.code, l.label])),
  };
}

/** The changes from base to current, grouped by section; empty when the content is the same. */
export function diffAssessments(base: Assessment, current: Assessment, p: Profile | null, t: TFunction): Change[] {
  const d = compare(base, current, t('review:view.otherMeasure'));
  if (d.empty && !d.state) return [];
  return diffLines(t, lookupsOf(p), d);
}
