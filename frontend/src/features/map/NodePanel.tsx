// The detail of the selected node (GET /cycles/:cycle/nodes/:code): its path, every attribute with the titles of
// the codes, its children, and for a leaf the assessment's state and the links to the assessment and the register.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { NodeDetail, RefItem } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { announce } from '../../lib/announce';
import { useApi } from '../../lib/useApi';
import type { Refs } from '../../lib/register/data';
import { ProcessDescription } from './ProcessDescription';
import type { LeafStatus } from './tree';

function titled(codes: string[] | undefined, refs: RefItem[] | undefined, none: string) {
  if (!codes || codes.length === 0) return <span className="text-muted">{none}</span>;
  return (
    <ul className="list-unstyled mb-0">
      {codes.map((c) => {
        const title = refs?.find((r) => r.code === c)?.title;
        return (
          <li key={c}>
            <strong>{c}</strong>
            {title ? ` – ${title}` : ''}
          </li>
        );
      })}
    </ul>
  );
}

interface Props {
  cycle: string;
  code: string;
  refs?: Refs;
  status?: LeafStatus;
  /** whether the user may read assessments (state, level, links) */
  canAssess: boolean;
  /** whether the user may edit process descriptions (the RPCT) */
  canDescribe?: boolean;
  statusesKnown: boolean;
  hrefOf: (code: string) => string;
  closeHref: string;
}

export function NodePanel({ cycle, code, refs, status, canAssess, canDescribe, statusesKnown, hrefOf, closeHref }: Props) {
  const { t } = useTranslation('map');
  const loaded = useApi((signal) => api.call<NodeDetail>('GET /api/v1/cycles/:cycle/nodes/:code', { params: { cycle, code }, signal }), [cycle, code]);
  const d = loaded.data?.node.code === code ? loaded.data : undefined;

  useEffect(() => {
    if (d) announce(t('detail.loaded', { code: `${d.node.code} ${d.node.title}` }));
  }, [d, t]);

  // Below the xl breakpoint the panel sits above the tree (MapPage): bring it into view when a node is chosen
  // far down the tree, instead of leaving the reader where the detail is out of sight.
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (window.matchMedia?.('(max-width: 1199.98px)').matches) section.current?.scrollIntoView?.({ block: 'start' });
  }, [code]);

  const none = t('detail.none');
  return (
    <section ref={section} className="map-panel" aria-labelledby="map-panel-title" data-testid="node-detail">
      <div className="d-flex justify-content-between align-items-start gap-2">
        <h2 id="map-panel-title" className="h5 mb-2">
          {t('detail.heading')}
        </h2>
        <Link to={closeHref} className="btn btn-sm btn-outline-secondary">
          {t('detail.close')}
        </Link>
      </div>
      {loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : null}
      {!d && !loaded.error && <Loading />}
      {d && (
        <>
          <h3 className="h5">
            <span className="tree-code">{d.node.code}</span> {d.node.title}
          </h3>
          {d.ancestors.length > 0 && (
            <nav aria-label={t('detail.path')} className="mb-2 small">
              <ol className="map-path">
                {d.ancestors.map((a) => (
                  <li key={a.code}>
                    <Link to={hrefOf(a.code)}>
                      {a.code} {a.title}
                    </Link>
                  </li>
                ))}
                <li aria-current="page">{d.node.code}</li>
              </ol>
            </nav>
          )}
          {canAssess && (d.node.is_leaf || d.node.risk_level) && (
            <div className="d-flex flex-wrap gap-2 mb-3">
              {d.node.is_leaf && (
                <Link className="btn btn-primary btn-sm" to={`/valutazioni/${encodeURIComponent(d.node.code)}`}>
                  {t('detail.openAssessment')}
                </Link>
              )}
              {(status || (!d.node.is_leaf && d.node.risk_level)) && (
                <Link className="btn btn-outline-primary btn-sm" to={`/registro?node=${encodeURIComponent(d.node.code)}`}>
                  {t('detail.openRegister')}
                </Link>
              )}
            </div>
          )}
          <dl className="map-dl">
            <dt>{t('detail.level')}</dt>
            <dd>{t(`common:nodeLevels.${d.node.level}`)}</dd>
            <dt>{t('detail.code')}</dt>
            <dd>{d.node.code}</dd>
            <dt>{t('detail.function')}</dt>
            <dd>{d.node.function || <span className="text-muted">{none}</span>}</dd>
            <dt>{t('detail.units')}</dt>
            <dd>{titled(d.node.units, refs?.units, none)}</dd>
            <dt>{t('detail.objectives')}</dt>
            <dd>{titled(d.node.strategic_objectives, refs?.objectives, none)}</dd>
            <dt>{t('detail.areas')}</dt>
            <dd>{titled(d.node.risk_areas, refs?.areas, none)}</dd>
            <dt>{t('detail.marker')}</dt>
            <dd>
              {d.node.marker === '*' ? t('markers.mandatory') : d.node.marker === '**' ? t('markers.priority') : <span className="text-muted">{none}</span>}
            </dd>
            <dt>{t('detail.note')}</dt>
            <dd>{d.node.note || <span className="text-muted">{none}</span>}</dd>
            {canAssess && (
              <>
                <dt>{t('detail.riskLevel')}</dt>
                <dd>
                  {(status?.level || d.node.risk_level) ? (
                    <span className={`badge level-badge level-${status?.level || d.node.risk_level}`}>
                      {t(`common:levels.${status?.level || d.node.risk_level}`, { defaultValue: status?.level || d.node.risk_level })}
                    </span>
                  ) : (
                    <span className="text-muted">{t('noAssessment')}</span>
                  )}
                  {!d.node.is_leaf && <span className="d-block small">{t('detail.riskLevelHint')}</span>}
                </dd>
              </>
            )}
            {d.node.is_leaf && canAssess && statusesKnown && (
              <>
                <dt>{t('detail.state')}</dt>
                <dd>
                  {status ? (
                    <>
                      {t(`common:states.${status.state || 'none'}`, { defaultValue: status.state })}
                      <span className="d-block small">{t('detail.risks', { count: status.risks })}</span>
                    </>
                  ) : (
                    t('noAssessment')
                  )}
                </dd>
              </>
            )}
            {d.children.length > 0 && (
              <>
                <dt>{t('detail.children')}</dt>
                <dd>
                  <ul className="list-unstyled mb-0">
                    {d.children.map((c) => (
                      <li key={c.code}>
                        <Link to={hrefOf(c.code)}>
                          <span className="tree-code">{c.code}</span> {c.title}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          {canAssess && (d.node.level === 'process' || d.node.level === 'subprocess') && (
            <ProcessDescription key={d.node.code} cycle={cycle} code={d.node.code} canEdit={!!canDescribe} />
          )}
        </>
      )}
    </section>
  );
}
