// After adoption: the frozen register (download, with its SHA-256 checked in the browser against the hash
// recorded at adoption), and the ways forward: an extraordinary revision or the next three-year cycle.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Cycle } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { announce } from '../../lib/announce';
import { formatNumber } from '../../lib/format';
import { ConfirmDialog, focusFirstInvalid, ProblemAlert, TextField } from '../../components/FormKit';
import { nextCycleCode, sha256Hex, validCycleCode } from './lifecycle';

type Check = { kind: 'match' } | { kind: 'mismatch'; computed: string } | { kind: 'unavailable' };

export function SnapshotSection({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation('cycles');
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  async function download() {
    setBusy(true);
    setFailure(null);
    setCheck(null);
    try {
      const res = await api.call<Response>('GET /api/v1/cycles/:cycle/snapshot', { params: { cycle: cycle.code }, raw: true });
      const declared = res.headers.get('X-Content-SHA256') ?? '';
      const blob = await res.blob();
      const computed = await sha256Hex(blob);
      const expected = cycle.snapshot_hash || declared;
      const result: Check = computed === null ? { kind: 'unavailable' } : computed === expected && (!declared || declared === expected) ? { kind: 'match' } : { kind: 'mismatch', computed };
      setCheck(result);
      announce(result.kind === 'match' ? t('snapshot.match') : result.kind === 'mismatch' ? t('snapshot.mismatch') : t('snapshot.unavailable'));
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = `registro-adottato-${cycle.code}.jsonl`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 1000);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="snapshot-title" className="cycle-section">
      <h2 id="snapshot-title" className="h4">
        {t('snapshot.title')}
      </h2>
      <p>{t('snapshot.intro')}</p>
      {cycle.snapshot_hash && (
        <dl className="snapshot-hash">
          <dt>{t('snapshot.hash')}</dt>
          <dd>
            <code data-testid="snapshot-hash">{cycle.snapshot_hash}</code>
          </dd>
        </dl>
      )}
      <button type="button" className="btn btn-outline-primary" onClick={() => void download()} disabled={busy}>
        {busy ? t('snapshot.downloading') : t('snapshot.download')}
      </button>
      <div aria-live="polite" className="mt-2">
        {check?.kind === 'match' && (
          <p className="alert alert-success mb-0" data-testid="snapshot-check">
            {t('snapshot.match')}
          </p>
        )}
        {check?.kind === 'mismatch' && (
          <div className="alert alert-danger mb-0" data-testid="snapshot-check">
            <p className="mb-1">{t('snapshot.mismatch')}</p>
            <p className="mb-0 small">
              {t('snapshot.computed')} <code>{check.computed}</code>
            </p>
          </div>
        )}
        {check?.kind === 'unavailable' && <p className="alert alert-info mb-0">{t('snapshot.unavailable')}</p>}
      </div>
      <ProblemAlert error={failure} ns="cycles" />
    </section>
  );
}

interface RollForwardResult {
  cycle: string;
  from: string;
  copied: number;
  removed: string[];
  new: string[];
  links_dropped: number;
  to_review?: string[];
}

function RollResult({ result }: { result: RollForwardResult }) {
  const { t } = useTranslation('cycles');
  const { selectCycle } = useSession();
  return (
    <div className="alert alert-success mt-3" role="status" data-testid="rollforward-result">
      <p className="fw-semibold mb-1">{t('next.resultTitle', { code: result.cycle, from: result.from })}</p>
      <ul className="mb-2">
        <li>{t('next.copied', { count: result.copied, n: formatNumber(result.copied) })}</li>
        <li>{t('next.newLeaves', { count: result.new.length, n: formatNumber(result.new.length) })}</li>
        {(result.to_review?.length ?? 0) > 0 && (
          <li>{t('next.toReview', { count: result.to_review!.length, n: formatNumber(result.to_review!.length), code: result.cycle })}</li>
        )}
        {result.removed.length > 0 && <li>{t('next.removed', { count: result.removed.length, codes: result.removed.join(', ') })}</li>}
        {result.links_dropped > 0 && <li>{t('next.linksDropped', { count: result.links_dropped, n: formatNumber(result.links_dropped) })}</li>}
      </ul>
      <button type="button" className="btn btn-sm btn-primary" onClick={() => selectCycle(result.cycle)}>
        {t('next.switch', { code: result.cycle })}
      </button>
    </div>
  );
}

export function NextCycleSection({ cycle, onChanged }: { cycle: Cycle; onChanged: () => Promise<void> }) {
  const { t } = useTranslation('cycles');
  const [dialog, setDialog] = useState<'revision' | 'roll' | null>(null);
  const [target, setTarget] = useState(nextCycleCode(cycle));
  const [targetError, setTargetError] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RollForwardResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useRef<HTMLFormElement>(null);

  function askRoll(e: FormEvent) {
    e.preventDefault();
    if (!validCycleCode(target)) {
      setTargetError(t('fieldErrors.cycle_code_invalid'));
      focusFirstInvalid(form.current);
      return;
    }
    setTargetError('');
    setDialog('roll');
  }

  async function run() {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      const r =
        dialog === 'roll'
          ? await api.call<RollForwardResult>('POST /api/v1/cycles/:cycle/roll-forward', { params: { cycle: target.trim() }, body: { from: cycle.code } })
          : await api.call<RollForwardResult>('POST /api/v1/cycles/:cycle/revision', { params: { cycle: cycle.code } });
      setDialog(null);
      setResult(r);
      announce(t('next.resultTitle', { code: r.cycle, from: r.from }));
      await onChanged();
    } catch (err) {
      setDialog(null);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="next-title" className="cycle-section">
      <h2 id="next-title" className="h4">
        {t('next.title')}
      </h2>
      <div className="row g-4">
        <div className="col-lg-6">
          <h3 className="h6 fw-semibold">{t('next.revisionTitle')}</h3>
          <p>{t('next.revisionIntro')}</p>
          <button type="button" className="btn btn-outline-primary" onClick={() => setDialog('revision')}>
            {t('next.revision')}
          </button>
        </div>
        <div className="col-lg-6">
          <h3 className="h6 fw-semibold" id="roll-title">
            {t('next.rollTitle')}
          </h3>
          <p>{t('next.rollIntro')}</p>
          <form ref={form} onSubmit={askRoll} noValidate aria-labelledby="roll-title">
            <TextField id="roll-target" label={t('next.target')} value={target} onChange={setTarget} error={targetError} hint={t('next.targetHint')} required spellCheck={false} />
            <button type="submit" className="btn btn-outline-primary">
              {t('next.roll')}
            </button>
          </form>
        </div>
      </div>
      {result && <RollResult result={result} />}
      <ProblemAlert error={failure} ns="cycles" />
      <ConfirmDialog
        id="revision-dialog"
        open={dialog === 'revision'}
        title={t('next.revisionConfirmTitle', { code: cycle.code })}
        confirmLabel={t('next.revisionConfirm')}
        onConfirm={() => void run()}
        onCancel={() => setDialog(null)}
        busy={busy}
      >
        <p className="mb-0">{t('next.revisionConfirmBody', { code: cycle.code })}</p>
      </ConfirmDialog>
      <ConfirmDialog
        id="roll-dialog"
        open={dialog === 'roll'}
        title={t('next.rollConfirmTitle', { code: target.trim() })}
        confirmLabel={t('next.rollConfirm')}
        onConfirm={() => void run()}
        onCancel={() => setDialog(null)}
        busy={busy}
      >
        <p className="mb-0">{t('next.rollConfirmBody', { code: target.trim(), from: cycle.code })}</p>
      </ConfirmDialog>
    </section>
  );
}
