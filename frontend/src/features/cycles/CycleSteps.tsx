// The cycle's lifecycle as an ordered list of steps, each with its status in words (never colour alone) and what
// the step recorded: the deliberation, the publication, the cycle it was started from.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cycle } from '../../api/schema.gen';
import { formatDate } from '../../lib/format';
import { cycleStates, stepStatus, type CycleState } from './lifecycle';

export function CycleSteps({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation('cycles');
  const current = cycle.state as CycleState;
  // When a step completes, the control that did it is gone: focus lands on the new state instead of the page top.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(current);
  useEffect(() => {
    if (shown.current === current) return;
    shown.current = current;
    heading.current?.focus();
  }, [current]);
  const detail = (step: CycleState) => {
    switch (step) {
      case 'open':
        if (current !== 'open') return t('steps.openDone');
        return cycle.derived_from ? t('steps.derivedFrom', { code: cycle.derived_from }) : t('steps.openDetail');
      case 'consolidated':
        return t('steps.consolidatedDetail');
      case 'adopted':
        return cycle.deliberation_number
          ? t('steps.adoptedWith', { number: cycle.deliberation_number, date: formatDate(cycle.deliberation_date) })
          : t('steps.adoptedDetail');
      case 'published':
        return cycle.published_on ? t('steps.publishedOn', { date: formatDate(cycle.published_on) }) : t('steps.publishedDetail');
    }
  };
  const name = (step: CycleState) => {
    switch (step) {
      case 'open':
        return t('common:cycleStates.open');
      case 'consolidated':
        return t('common:cycleStates.consolidated');
      case 'adopted':
        return t('common:cycleStates.adopted');
      case 'published':
        return t('common:cycleStates.published');
    }
  };
  const statusText = (s: ReturnType<typeof stepStatus>) =>
    s === 'done' ? t('steps.done') : s === 'current' ? t('steps.current') : t('steps.todo');
  return (
    <section aria-labelledby="cycle-steps-title" className="mb-4">
      <h2 id="cycle-steps-title" className="h4 page-title" ref={heading} tabIndex={-1}>
        {t('steps.title')}
      </h2>
      <ol className="cycle-steps" data-testid="cycle-steps">
        {cycleStates.map((step, i) => {
          const s = stepStatus(current, step);
          return (
            <li key={step} className={`cycle-step cycle-step-${s}`} aria-current={s === 'current' ? 'step' : undefined}>
              <span className="cycle-step-marker" aria-hidden="true">
                {s === 'done' ? '✓' : i + 1}
              </span>
              <span className="cycle-step-body">
                <span className="cycle-step-name">{name(step)}</span>
                <span className="cycle-step-status">{statusText(s)}</span>
                <span className="cycle-step-detail">{detail(step)}</span>
                {step === 'published' && cycle.published_url && (
                  <a href={cycle.published_url} target="_blank" rel="noreferrer noopener" className="cycle-step-link">
                    {t('steps.publishedLink')}
                    {' '}
                    <span className="visually-hidden">{t('steps.newWindow')}</span>
                  </a>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
