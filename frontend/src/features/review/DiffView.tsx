// "What changed since the previous submission", readable: added and removed risks and measures as lists, the
// changed ones as a table per item (field, before, after), with codes turned into words.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import type { AssessmentDiff, FieldChange, SectionDiff, Value } from './diff';
import { answerLabel, indicatorName, type Lookups } from './labels';

function levelText(t: TFunction, l: Lookups, code: string): string {
  if (!code) return t('common:levels.');
  return t(`common:levels.${code}`, { defaultValue: l.levelLabels.get(code) ?? code });
}

/** The label of a changed field: "Motivazione – Livello di interesse «esterno» (KRI-1)". */
export function fieldLabel(t: TFunction, l: Lookups, c: FieldChange): string {
  const [scope, name] = c.field.includes('.') ? c.field.split('.', 2) : ['', c.field];
  const prefix = scope === 'inherent' ? t('diff.inherent') : scope === 'residual' ? t('diff.residual') : '';
  const base = t(`diff.fields.${name}`, { defaultValue: name });
  const label = c.code ? `${base} – ${indicatorName(l, c.code)}` : base;
  return prefix ? `${prefix}: ${label}` : label;
}

/** A value as text: levels, decisions, statuses, dates and catalogue codes as words. */
export function valueText(t: TFunction, l: Lookups, c: FieldChange, v: Value): string {
  const name = c.field.includes('.') ? c.field.split('.', 2)[1] : c.field;
  const none = t('view.notGiven');
  if (Array.isArray(v)) {
    if (v.length === 0) return none;
    switch (name) {
      case 'enabling_factors':
        return v.map((f) => (l.factors.get(f) ? `${l.factors.get(f)} (${f})` : f)).join('; ');
      case 'phases':
        return v
          .map((p) => {
            const [title, deadline] = p.split('|');
            return deadline ? `${title} (${formatDate(deadline)})` : title;
          })
          .join('; ');
      case 'indicators':
        return v
          .map((p) => {
            const [ind, baseline, target] = p.split('|');
            return t('diff.indicatorValue', { name: ind, baseline: baseline || '—', target: target || '—' });
          })
          .join('; ');
      default:
        return v.join('; ');
    }
  }
  if (v === '') return none;
  switch (name) {
    case 'level':
      return levelText(t, l, v);
    case 'override': {
      const [level, reason] = v.split('|');
      return reason ? `${levelText(t, l, level)} – ${reason}` : levelText(t, l, level);
    }
    case 'value':
      return answerLabel(l, c.code ?? '', v);
    case 'decision':
      return t(`decisions.${v}`, { defaultValue: v });
    case 'status':
      return t(`measureStatus.${v}`, { defaultValue: v });
    case 'nature':
      return v === 'general' ? t('view.natureGeneralShort') : t('view.natureSpecific');
    case 'type':
      return l.types.get(v) ? `${v} – ${l.types.get(v)}` : v;
    case 'general_code':
      return l.generals.get(v) ? `${v} – ${l.generals.get(v)}` : v;
    case 'start':
    case 'end':
      return formatDate(v);
    default:
      return v;
  }
}

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
          <table className="table table-sm review-diff-table">
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
