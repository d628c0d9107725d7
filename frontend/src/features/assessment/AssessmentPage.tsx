// /valutazioni/:code — the risk assessment of one leaf of the process map (an "azione"): the editor for a
// director or referente of the leaf's units while it is a draft or was returned, else a read-only view that
// says why. The RPCT's return comments come first when the assessment was returned.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { Assessment, Comment, TransitionResult } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge, StateBadge } from '../../components/Badges';
import { OivNotes } from '../../components/OivNotes';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { AssessmentEditor } from './AssessmentEditor';
import { DuplicateEventWarnings, HandOffPanel } from './CampaignNotes';
import { EditorContext, loadLeaf, loadRefTables, refLabel, type EditorContextValue, type LeafData, type RefTables } from './data';
import { ReadOnlyView } from './ReadOnlyView';
import './assessment.css';

export type ReadOnlyReason = 'otherUnit' | 'role' | 'cycleClosed' | 'submitted' | 'approved' | null;

/** Why the assessment is not editable for this user, or null when it is. */
export function readOnlyReason(opts: { canWrite: boolean; writesSomewhere: boolean; cycleOpen: boolean; state: string | undefined }): ReadOnlyReason {
  if (!opts.canWrite) return opts.writesSomewhere ? 'otherUnit' : 'role';
  if (!opts.cycleOpen) return 'cycleClosed';
  if (opts.state === 'submitted') return 'submitted';
  if (opts.state === 'approved') return 'approved';
  return null;
}

function commentKind(kind: string | undefined, t: (k: string) => string): string {
  switch (kind) {
    case 'return':
      return t('comments.kindReturn');
    case 'reopen':
      return t('comments.kindReopen');
    case 'submit':
      return t('comments.kindSubmit');
    case 'approve':
      return t('comments.kindApprove');
    default:
      return t('comments.kindComment');
  }
}

function ReturnedNotice({ comments }: { comments: Comment[] }) {
  const { t } = useTranslation('assessment');
  const returns = comments.filter((c) => c.kind === 'return').sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  return (
    <section className="alert alert-warning returned-notice" aria-labelledby="returned-title" data-testid="returned-notice">
      <h2 id="returned-title" className="h4">
        {t('returned.title')}
      </h2>
      {returns.length === 0 ? (
        <p className="mb-1">{t('returned.noComment')}</p>
      ) : (
        returns.map((c, i) => (
          <figure key={c.id ?? i} className={i === 0 ? 'mb-2' : 'mb-2 small'}>
            <blockquote className="mb-1 returned-body">{c.body}</blockquote>
            <figcaption className="small">{t('returned.by', { who: c.author_full_name || c.author_name || '–', when: formatDateTime(c.created_at) })}</figcaption>
          </figure>
        ))
      )}
      <p className="mb-0">{t('returned.next')}</p>
    </section>
  );
}

function CommentsHistory({ comments }: { comments: Comment[] }) {
  const { t } = useTranslation('assessment');
  if (comments.length === 0) return null;
  return (
    <details className="mt-4 comments-history">
      <summary>{t('comments.title', { count: comments.length })}</summary>
      <ol className="list-unstyled mt-2">
        {comments.map((c, i) => (
          <li key={c.id ?? i} className="mb-3">
            <p className="small mb-1">
              <strong>{commentKind(c.kind, t)}</strong> · {c.author_full_name || c.author_name || '–'} · {formatDateTime(c.created_at)}
            </p>
            {c.body && <p className="mb-0 comment-body">{c.body}</p>}
          </li>
        ))}
      </ol>
    </details>
  );
}

function LeafView({ data, refs, cycle }: { data: LeafData; refs: RefTables | null; cycle: string }) {
  const { t } = useTranslation('assessment');
  const session = useSession();
  const { node, ancestors } = data.detail;
  const profile = data.methodology.profile;
  const [current, setCurrent] = useState<Assessment>(data.assessment);
  const [submitted, setSubmitted] = useState(false);
  const submittedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (submitted) submittedRef.current?.focus();
  }, [submitted]);

  const reason = readOnlyReason({
    canWrite: session.can('assessment', 'write', node.units),
    writesSomewhere: session.can('assessment', 'write'),
    cycleOpen: (session.cycle?.state ?? 'open') === 'open',
    state: current.state,
  });
  // A leaf of several units is submitted by its lead unit's director only (the server says which).
  const leadUnit = current.lead_unit || node.units?.[0] || '';
  const canSubmit = session.can('assessment', 'submit', leadUnit ? [leadUnit] : node.units);
  const canWriteLeaf = session.can('assessment', 'write', node.units);
  const ctx = useMemo<EditorContextValue>(
    () => ({
      cycle,
      code: node.code,
      catalogues: data.catalogues,
      refs,
      nodeAreas: node.risk_areas ?? [],
      nodeUnits: node.units ?? [],
      nodeObjectives: node.strategic_objectives ?? [],
    }),
    [cycle, node, data.catalogues, refs],
  );
  const onSubmitted = (r: TransitionResult) => {
    setCurrent((a) => ({ ...a, state: (r.state as Assessment['state']) ?? 'submitted', version: r.version ?? a.version }));
    setSubmitted(true);
  };
  const readOnlyText = (() => {
    switch (reason) {
      case 'otherUnit':
        return t('readonly.otherUnit');
      case 'role':
        return t('readonly.role');
      case 'cycleClosed':
        return t('readonly.cycleClosed');
      case 'submitted':
        return t('readonly.submitted');
      case 'approved':
        return t('readonly.approved');
    }
    return '';
  })();

  return (
    <Page title={t('page.title', { code: node.code, title: node.title })} crumbs={[{ label: t('common:nav.map'), to: '/mappa' }, { label: t('page.crumb', { code: node.code }) }]}>
      <dl className="row leaf-info mb-4" data-testid="leaf-info">
        {ancestors.length > 0 && (
          <>
            <dt className="col-md-3">{t('page.path')}</dt>
            <dd className="col-md-9">
              <ol className="leaf-path list-inline mb-0">
                {ancestors.map((a) => (
                  <li key={a.code} className="list-inline-item">
                    <span className="visually-hidden">{t(`common:nodeLevels.${a.level}`)}: </span>
                    {a.code} {a.title}
                  </li>
                ))}
              </ol>
            </dd>
          </>
        )}
        <dt className="col-md-3">{t('page.units')}</dt>
        <dd className="col-md-9">{(node.units ?? []).length ? node.units.map((u) => refLabel(refs?.units, u)).join('; ') : '–'}</dd>
        {(node.units ?? []).length > 1 && (
          <>
            <dt className="col-md-3">{t('campaign.leadUnit')}</dt>
            <dd className="col-md-9" data-testid="lead-unit">
              {refLabel(refs?.units, leadUnit)}
              <span className="d-block small">{t('campaign.leadUnitNote')}</span>
            </dd>
          </>
        )}
        <dt className="col-md-3">{t('page.areas')}</dt>
        <dd className="col-md-9">{(node.risk_areas ?? []).length ? node.risk_areas.map((a) => refLabel(refs?.areas, a)).join('; ') : '–'}</dd>
        <dt className="col-md-3">{t('page.objectives')}</dt>
        <dd className="col-md-9">{(node.strategic_objectives ?? []).length ? node.strategic_objectives.map((o) => refLabel(refs?.objectives, o)).join('; ') : '–'}</dd>
        <dt className="col-md-3">{t('page.state')}</dt>
        <dd className="col-md-9">
          <StateBadge state={current.version > 0 || current.state !== 'draft' ? current.state : 'none'} />
        </dd>
        <dt className="col-md-3">{t('page.level')}</dt>
        <dd className="col-md-9">{current.level ? <LevelBadge level={current.level} /> : t('page.noLevel')}</dd>
        {current.updated_at && (
          <>
            <dt className="col-md-3">{t('page.updated')}</dt>
            <dd className="col-md-9">{formatDateTime(current.updated_at)}</dd>
          </>
        )}
        <dt className="col-md-3">{t('page.methodology')}</dt>
        <dd className="col-md-9">
          {profile.name}
          {!data.methodology.chosen && <span className="small"> {t('page.methodologyDefault')}</span>}
        </dd>
      </dl>

      {submitted && (
        <div ref={submittedRef} tabIndex={-1} className="alert alert-success" role="status" data-testid="submitted-notice">
          {t('editor.submitted')}
        </div>
      )}
      {current.state === 'returned' && <ReturnedNotice comments={data.comments} />}
      {(session.cycle?.state ?? 'open') === 'open' && (
        <HandOffPanel cycle={cycle} code={node.code} assessment={current} canWrite={canWriteLeaf} canSubmit={canSubmit} />
      )}
      <DuplicateEventWarnings warnings={current.warnings} />
      <OivNotes cycle={cycle} kind="node" target={node.code} label={t('common:oivNotes.onLeaf', { code: node.code })} />

      <EditorContext.Provider value={ctx}>
        {reason ? (
          <>
            {!submitted && (
              <div className="alert alert-info" data-testid="readonly-notice">
                {readOnlyText}
              </div>
            )}
            <ReadOnlyView assessment={current} profile={profile} catalogues={data.catalogues} refs={refs} />
          </>
        ) : (
          <AssessmentEditor cycle={cycle} code={node.code} profile={profile} assessment={current} canSubmit={canSubmit} onSaved={setCurrent} onSubmitted={onSubmitted} />
        )}
      </EditorContext.Provider>
      <CommentsHistory comments={data.comments} />
    </Page>
  );
}

export default function AssessmentPage() {
  const { t } = useTranslation('assessment');
  const { code = '' } = useParams();
  const cycle = useCycleCode();
  const { data, error, loading, reload } = useApi((signal) => loadLeaf(cycle, code, signal), [cycle, code]);
  const [refs, setRefs] = useState<RefTables | null>(null);
  useEffect(() => {
    let live = true;
    loadRefTables(cycle)
      .then((r) => live && setRefs(r))
      .catch(() => live && setRefs(null));
    return () => {
      live = false;
    };
  }, [cycle]);

  if (error) {
    return (
      <Page title={t('page.errorTitle', { code })} crumbs={[{ label: t('common:nav.map'), to: '/mappa' }, { label: t('page.crumb', { code }) }]}>
        {/* retrying helps after a network or server failure, not for a code that is no leaf or does not exist */}
        <ErrorAlert error={error} onRetry={error instanceof ApiError && error.status >= 400 && error.status < 500 ? undefined : reload} />
        <p>
          <Link to="/mappa">{t('page.backToMap')}</Link>
        </p>
      </Page>
    );
  }
  if (loading || !data || data.detail.node.code !== code) {
    return (
      <Page title={t('page.loadingTitle', { code })}>
        <Loading />
      </Page>
    );
  }
  return <LeafView key={`${cycle}/${code}`} data={data} refs={refs} cycle={cycle} />;
}
