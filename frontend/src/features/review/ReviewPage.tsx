// Review of one leaf's assessment (/revisione/:code): the submitted content read-only, what changed since the
// previous submission, the review thread, and the RPCT's decisions (approve, return with observations,
// reopen an approved one). Other roles see the same page without the decisions.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import type { Assessment, Comment, NodeDetail, TransitionResult } from '../../api/schema.gen';
import { useCycleCode, useSession } from '../../auth/session';
import { LevelBadge, StateBadge } from '../../components/Badges';
import { OivNotes } from '../../components/OivNotes';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { Page } from '../../components/Page';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';
import { useApi } from '../../lib/useApi';
import { AssessmentView } from './AssessmentView';
import { CommentDialog } from './CommentDialog';
import { CommentThread } from './CommentThread';
import { diffAssessments } from '../../lib/assessmentDiff';
import { DiffView } from './DiffView';
import { loadLookups } from './labels';
import { loadBaseline, type Baseline } from './reviewApi';
import './review.css';

type Decision = 'approve' | 'return' | 'reopen';

interface Loaded {
  assessment: Assessment;
  node: NodeDetail | null;
  comments: Comment[];
  lookups: Awaited<ReturnType<typeof loadLookups>>;
  baseline: Baseline | null;
}

export default function ReviewPage() {
  const { t } = useTranslation('review');
  const { code = '' } = useParams();
  const cycle = useCycleCode();
  const s = useSession();
  const navigate = useNavigate();
  const canAudit = s.can('audit', 'read');
  const [flash, setFlash] = useState('');
  const [dialog, setDialog] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [resetKey, setResetKey] = useState(0);

  const { data, error, loading, reload, setData } = useApi<Loaded>(
    async (signal) => {
      const read = api.call<Assessment>('GET /api/v1/cycles/:cycle/nodes/:code/assessment', { params: { cycle, code }, signal });
      const editing = (a: Assessment) => a.version > 0 && a.state !== 'submitted' && a.state !== 'approved';
      const [assessment, node, comments, lookups, baseline] = await Promise.all([
        read,
        api.call<NodeDetail>('GET /api/v1/cycles/:cycle/nodes/:code', { params: { cycle, code }, signal }).catch(() => null),
        api.call<{ items: Comment[] }>('GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments', { params: { cycle, code }, signal }).then((r) => r.items ?? []),
        loadLookups(cycle, signal),
        canAudit
          ? read.then((a) => loadBaseline(cycle, code, signal, editing(a))).catch((): Baseline => ({ status: 'unknown' }))
          : Promise.resolve(null),
      ]);
      return { assessment, node, comments, lookups, baseline };
    },
    [cycle, code, canAudit],
  );

  const node = data?.node?.node;
  const title = node ? `${code} – ${node.title}` : t('page.titleLoading', { code });
  const crumbs = s.can('assessment', 'review')
    ? [{ label: t('queue.title'), to: '/revisione' }, { label: code }]
    : [{ label: t('page.registerCrumb'), to: '/registro' }, { label: code }];

  if (!cycle) {
    return (
      <Page title={t('page.titleLoading', { code })} crumbs={crumbs}>
        <p>{t('noCycle')}</p>
      </Page>
    );
  }
  if (!data) {
    return (
      <Page title={title} crumbs={crumbs}>
        {loading ? <Loading /> : <ErrorAlert error={error} onRetry={reload} />}
      </Page>
    );
  }

  const a = data.assessment;
  const state = a.version === 0 ? 'none' : (a.state ?? 'draft');
  const cycleOpen = s.cycle?.state === 'open';
  const reviewer = s.can('assessment', 'review') && cycleOpen;
  const submission = data.baseline?.submission;
  const submittedByMe = !!submission && submission.actor_id === s.me.user.id;
  const units = node?.units ?? [];
  const canEdit = units.length > 0 && s.can('assessment', 'write', units) && cycleOpen;
  const canComment = s.can('assessment', 'review') || (units.length > 0 && s.can('assessment', 'write', units));

  async function decide(action: Decision, comment: string) {
    setBusy(true);
    setActionError(null);
    try {
      const res = await api.call<TransitionResult>('POST /api/v1/cycles/:cycle/nodes/:code/assessment/transitions', {
        params: { cycle, code },
        body: { action, comment },
      });
      const msg = action === 'approve' ? t('done.approved', { code }) : action === 'return' ? t('done.returned', { code }) : t('done.reopened', { code });
      setDialog(null);
      setResetKey((k) => k + 1);
      announce(msg);
      if (action === 'reopen') {
        setFlash(msg);
        if (data) setData({ ...data, assessment: { ...data.assessment, state: (res.state as Assessment['state']) ?? 'draft', version: res.version ?? data.assessment.version } });
        reload();
      } else {
        navigate('/revisione', { state: { flash: msg } });
      }
    } catch (err) {
      setActionError(err);
      // The state changed meanwhile: show the current one behind the dialog (the typed text stays).
      if (err instanceof ApiError && (err.code === 'transition_not_allowed' || err.status === 409)) reload();
    } finally {
      setBusy(false);
    }
  }

  const open = (d: Decision) => {
    setActionError(null);
    setDialog(d);
  };

  const actions = reviewer ? (
    state === 'submitted' ? (
      <>
        <button type="button" className="btn btn-primary" onClick={() => open('approve')}>
          {t('actions.approve')}
        </button>
        <button type="button" className="btn btn-outline-primary" onClick={() => open('return')}>
          {t('actions.return')}
        </button>
      </>
    ) : state === 'approved' ? (
      <button type="button" className="btn btn-outline-primary" onClick={() => open('reopen')}>
        {t('actions.reopen')}
      </button>
    ) : undefined
  ) : canEdit ? (
    <Link className="btn btn-outline-primary" to={`/valutazioni/${encodeURIComponent(code)}`}>
      {t('actions.openEditor')}
    </Link>
  ) : undefined;

  const diff = data.baseline?.status === 'found' && data.baseline.content ? diffAssessments(data.baseline.content, a, t('view.otherMeasure')) : null;

  return (
    <Page title={title} crumbs={crumbs} actions={actions}>
      {flash && (
        <div className="alert alert-success" role="status" data-testid="review-flash">
          {flash}
        </div>
      )}
      {loading && <Loading />}
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}

      <section aria-labelledby="summary-title" className="mb-4">
        <h2 className="visually-hidden" id="summary-title">
          {t('page.summary')}
        </h2>
        <dl className="review-dl review-summary">
          <dt>{t('page.state')}</dt>
          <dd data-testid="review-state">
            <StateBadge state={state} />
          </dd>
          <dt>{t('page.level')}</dt>
          <dd>
            <LevelBadge level={a.level} />
          </dd>
          <dt>{t('page.units')}</dt>
          <dd>{units.join(', ') || t('view.notGiven')}</dd>
          {data.node && data.node.ancestors.length > 0 && (
            <>
              <dt>{t('page.process')}</dt>
              <dd>{data.node.ancestors.map((x) => `${x.code} ${x.title}`).join(' › ')}</dd>
            </>
          )}
          {submission && (
            <>
              <dt>{t('page.submitted')}</dt>
              <dd>{t('page.submittedValue', { when: formatDateTime(submission.at), who: (submission as { actor_full_name?: string }).actor_full_name || submission.actor_name })}</dd>
            </>
          )}
          {a.updated_at && (
            <>
              <dt>{t('page.updated')}</dt>
              <dd>{formatDateTime(a.updated_at)}</dd>
            </>
          )}
        </dl>
        {reviewer && state === 'submitted' && submittedByMe && (
          <div className="alert alert-info" role="note">
            {t('page.fourEyesHint')}
          </div>
        )}
        {s.can('assessment', 'review') && !cycleOpen && <p className="text-muted">{t('page.cycleClosed')}</p>}
        {reviewer && state !== 'submitted' && state !== 'approved' && <p className="text-muted">{t('page.notWaiting')}</p>}
      </section>

      {canAudit && (
        <section aria-labelledby="changes-title" className="mb-4">
          <h2 className="h4" id="changes-title">
            {state === 'submitted' || state === 'approved' ? t('diff.title') : t('diff.titleLatest')}
          </h2>
          {data.baseline?.status === 'first' && <p>{t('diff.first')}</p>}
          {data.baseline?.status === 'never' && <p>{t('diff.never')}</p>}
          {data.baseline?.status === 'unchanged' && <p>{t('diff.none')}</p>}
          {data.baseline?.status === 'unknown' && <p>{t('diff.unknown')}</p>}
          {data.baseline?.previous && <p className="text-muted small">{t('diff.since', { when: formatDateTime(data.baseline.previous.at) })}</p>}
          {diff && <DiffView diff={diff} lookups={data.lookups} />}
        </section>
      )}

      <OivNotes cycle={cycle} kind="node" target={code} label={t('common:oivNotes.onLeaf', { code })} />

      <section aria-labelledby="thread-title" className="mb-4">
        <h2 className="h4" id="thread-title">
          {t('thread.title')}
        </h2>
        <CommentThread
          comments={data.comments}
          canComment={canComment && a.version > 0}
          cycle={cycle}
          code={code}
          onAdded={(c) => setData({ ...data, comments: [...data.comments, c] })}
        />
      </section>

      {a.version === 0 ? <p>{t('page.notStarted')}</p> : <AssessmentView assessment={a} lookups={data.lookups} />}

      <CommentDialog
        id="approve-dialog"
        open={dialog === 'approve'}
        title={t('dialog.approveTitle', { code })}
        intro={<p>{t('dialog.approveIntro')}</p>}
        label={t('dialog.approveLabel')}
        required={false}
        confirmLabel={t('dialog.approveConfirm')}
        busy={busy}
        error={dialog === 'approve' ? actionError : null}
        onConfirm={(c) => decide('approve', c)}
        onClose={() => setDialog(null)}
        resetKey={resetKey}
      />
      <CommentDialog
        id="return-dialog"
        open={dialog === 'return'}
        title={t('dialog.returnTitle', { code })}
        intro={<p>{t('dialog.returnIntro')}</p>}
        label={t('dialog.returnLabel')}
        hint={t('dialog.returnHint')}
        required
        confirmLabel={t('dialog.returnConfirm')}
        busy={busy}
        error={dialog === 'return' ? actionError : null}
        onConfirm={(c) => decide('return', c)}
        onClose={() => setDialog(null)}
        resetKey={resetKey}
      />
      <CommentDialog
        id="reopen-dialog"
        open={dialog === 'reopen'}
        title={t('dialog.reopenTitle', { code })}
        intro={<p>{t('dialog.reopenIntro')}</p>}
        label={t('dialog.reopenLabel')}
        hint={t('dialog.reopenHint')}
        required
        confirmLabel={t('dialog.reopenConfirm')}
        busy={busy}
        error={dialog === 'reopen' ? actionError : null}
        onConfirm={(c) => decide('reopen', c)}
        onClose={() => setDialog(null)}
        resetKey={resetKey}
      />
    </Page>
  );
}
