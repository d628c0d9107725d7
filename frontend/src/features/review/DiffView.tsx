// "What changed since the previous submission", readable: added and removed risks and measures as lists, the
// changed ones as a table per item (field, before, after), with codes turned into words.
import { useTranslation } from 'react-i18next';
import { fieldLabel, levelText, valueText, type AssessmentDiff, type SectionDiff } from '../../lib/assessmentDiff';
import type { Lookups } from './labels';

function Section({ title, added, removed, d, lookups, id }: { title: string; added: string; removed: string; d: SectionDiff; lookups: Lookups; id: string }) {
  const { t } = useTranslation('review');
  if (d.added.length + d.removed.length + d.changed.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`} className="mb-3">
      <h3 className="h5" id={`${id}-title`}>
        {title}
      </h3>
      {d.added.length > 0 && (
        <>
          <h4 className="h6">{added}</h4>
          <ul className="review-diff-added">
            {d.added.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </>
      )}
      {d.removed.length > 0 && (
        <>
          <h4 className="h6">{removed}</h4>
          <ul className="review-diff-removed">
            {d.removed.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>
        </>
      )}
      {d.changed.map((item, i) => (
        <div className="table-responsive" key={i}>
          <table className="table stack-table table-sm review-diff-table">
            <caption>{t('diff.changedCaption', { item: item.label })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('diff.field')}</th>
                <th scope="col">{t('diff.before')}</th>
                <th scope="col">{t('diff.after')}</th>
              </tr>
            </thead>
            <tbody>
              {item.changes.map((c, j) => (
                <tr key={j}>
                  <th scope="row">{fieldLabel(t, lookups, c)}</th>
                  <td className="text-prewrap">
                    <del className="review-del">{valueText(t, lookups, c, c.before)}</del>
                  </td>
                  <td className="text-prewrap">
                    <ins className="review-ins">{valueText(t, lookups, c, c.after)}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

export function DiffView({ diff, lookups }: { diff: AssessmentDiff; lookups: Lookups }) {
  const { t } = useTranslation('review');
  if (diff.empty) return <p>{t('diff.none')}</p>;
  return (
    <>
      {diff.level && (
        <p>
          {t('diff.level', { before: levelText(t, lookups, diff.level.before), after: levelText(t, lookups, diff.level.after) })}
        </p>
      )}
      <Section title={t('diff.risks')} added={t('diff.risksAdded')} removed={t('diff.risksRemoved')} d={diff.risks} lookups={lookups} id="diff-risks" />
      <Section title={t('diff.measures')} added={t('diff.measuresAdded')} removed={t('diff.measuresRemoved')} d={diff.measures} lookups={lookups} id="diff-measures" />
    </>
  );
}
