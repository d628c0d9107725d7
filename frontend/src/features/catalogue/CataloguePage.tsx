// The ente's risk catalogue (/catalogo): risk events, enabling factors, measure types and general measures, as
// tabs (WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs). The section and the risk-event filters
// live in the URL (?sezione=fattori, ?risk_area=B&stato=da-validare&q=...), so a link reproduces the view. Everyone
// allowed reads; the RPCT (catalogue:write) also creates, edits and validates events and adds enabling factors.
import { useRef, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { Page } from '../../components/Page';
import { parseSection, sections, withSection, type Section } from './catalogueRules';
import { EventsSection } from './EventsSection';
import { FactorsSection } from './FactorsSection';
import { GeneralMeasuresSection, MeasureTypesSection } from './ReferenceSections';
import './catalogue.css';

const tabId = (s: Section) => `catalogue-tab-${s}`;
const panelId = (s: Section) => `catalogue-panel-${s}`;

function Tabs({ current, onSelect }: { current: Section; onSelect: (s: Section) => void }) {
  const { t } = useTranslation('catalogue');
  const refs = useRef<Partial<Record<Section, HTMLButtonElement | null>>>({});
  const move = (s: Section) => {
    onSelect(s);
    refs.current[s]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = sections.indexOf(current);
    let next: Section | undefined;
    if (e.key === 'ArrowRight') next = sections[(i + 1) % sections.length];
    else if (e.key === 'ArrowLeft') next = sections[(i - 1 + sections.length) % sections.length];
    else if (e.key === 'Home') next = sections[0];
    else if (e.key === 'End') next = sections[sections.length - 1];
    if (!next) return;
    e.preventDefault();
    move(next);
  };
  return (
    <div className="nav nav-tabs catalogue-tabs mb-3" role="tablist" aria-label={t('tabs.label')}>
      {sections.map((s) => (
        <button
          key={s}
          ref={(el) => {
            refs.current[s] = el;
          }}
          type="button"
          role="tab"
          id={tabId(s)}
          className={`nav-link${s === current ? ' active' : ''}`}
          aria-selected={s === current}
          aria-controls={s === current ? panelId(s) : undefined}
          tabIndex={s === current ? 0 : -1}
          onClick={() => onSelect(s)}
          onKeyDown={onKeyDown}
        >
          {t(`tabs.${s}`)}
        </button>
      ))}
    </div>
  );
}

export default function CataloguePage() {
  const { t } = useTranslation('catalogue');
  const s = useSession();
  const canRead = s.can('catalogue', 'read');
  const canWrite = s.can('catalogue', 'write');
  const [params, setParams] = useSearchParams();
  const section = parseSection(params);

  if (!canRead) {
    return (
      <Page title={t('title')} crumbs={[{ label: t('title') }]}>
        <div className="alert alert-warning">{t('forbidden')}</div>
      </Page>
    );
  }

  return (
    <Page title={t('title')} crumbs={[{ label: t('title') }]}>
      <p>{canWrite ? t('introManage') : t('introRead')}</p>
      {!canWrite && <p className="small text-secondary-emphasis">{t('readOnly')}</p>}
      <Tabs current={section} onSelect={(next) => setParams(withSection(params, next))} />
      <div role="tabpanel" id={panelId(section)} aria-labelledby={tabId(section)} tabIndex={0} className="catalogue-panel" data-testid={`catalogue-panel-${section}`}>
        <h2 className="visually-hidden">{t(`tabs.${section}`)}</h2>
        {section === 'eventi' && <EventsSection canWrite={canWrite} />}
        {section === 'fattori' && <FactorsSection canWrite={canWrite} />}
        {section === 'tipologie' && <MeasureTypesSection />}
        {section === 'misure-generali' && <GeneralMeasuresSection canWrite={canWrite} />}
      </div>
    </Page>
  );
}
