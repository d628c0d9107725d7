// The bulk tools' dialogs, on the leaves checked in the campaign list: copy an assessment, apply a measure,
// exclude with one reason. Each first shows a preview (nothing written), then applies in one step.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { copyAssessment, excludeLeaves, linkMeasure, type MeasuresMode } from '../../api/campaign';
import type { Assessment, BulkOutcome, LeafStatus } from '../../api/schema.gen';
import { ProblemAlert, SelectField, TextArea } from '../../components/FormKit';
import { Dialog } from '../../components/Modal';
import { announce } from '../../lib/announce';
import { BulkPreview } from './BulkPreview';

interface Common {
  open: boolean;
  cycle: string;
  targets: string[];
  onClose: () => void;
  onDone: () => void;
}

/** Preview then apply, the shared life of the copy and link dialogs. */
function usePreviewApply(run: (dryRun: boolean) => Promise<BulkOutcome>, resetKey: string) {
  const [preview, setPreview] = useState<BulkOutcome | null>(null);
  const [result, setResult] = useState<BulkOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setPreview(null);
    setResult(null);
    setError(null);
  }, [resetKey]);
  const go = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const out = await run(dryRun);
      if (dryRun) setPreview(out);
      else {
        setResult(out);
        setPreview(null);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { preview, result, error, busy, go };
}

function Footer({ onClose, busy, canApply, onPreview, onApply, done }: { onClose: () => void; busy: boolean; canApply: boolean; onPreview: () => void; onApply: () => void; done: boolean }) {
  const { t } = useTranslation('campaign');
  return (
    <>
      <button type="button" className="btn btn-outline-secondary" onClick={onClose} disabled={busy}>
        {done ? t('dialog.close') : t('common:actions.cancel')}
      </button>
      {!done && (
        <>
          <button type="button" className="btn btn-outline-primary" onClick={onPreview} disabled={busy}>
            {t('dialog.preview')}
          </button>
          <button type="button" className="btn btn-primary" onClick={onApply} disabled={busy || !canApply} data-testid="bulk-apply">
            {busy ? t('dialog.working') : t('dialog.apply')}
          </button>
        </>
      )}
    </>
  );
}

export function CopyDialog({ open, cycle, targets, onClose, onDone, sources, initialSource }: Common & { sources: LeafStatus[]; initialSource?: string }) {
  const { t } = useTranslation('campaign');
  const [source, setSource] = useState(initialSource ?? '');
  const [mode, setMode] = useState<MeasuresMode>('link');
  useEffect(() => {
    if (open) setSource(initialSource ?? '');
  }, [open, initialSource]);
  const key = `${open}|${source}|${mode}|${targets.join(',')}`;
  const pa = usePreviewApply((dry) => copyAssessment(cycle, source, targets, mode, dry), key);
  const [noSource, setNoSource] = useState(false);
  const run = (dry: boolean) => {
    if (!source) {
      setNoSource(true);
      return;
    }
    setNoSource(false);
    void pa.go(dry).then(() => {
      if (!dry) {
        announce(t('copy.done'));
        onDone();
      }
    });
  };
  const hasPreview = pa.preview !== null && pa.preview.targets.length > pa.preview.skipped;
  return (
    <Dialog
      open={open}
      id="copy-dialog"
      title={t('copy.title', { count: targets.length })}
      onClose={onClose}
      footer={<Footer onClose={onClose} busy={pa.busy} canApply={hasPreview} onPreview={() => run(true)} onApply={() => run(false)} done={pa.result !== null} />}
    >
      <p>{t('copy.intro')}</p>
      <SelectField id="copy-source" label={t('copy.source')} value={source} onChange={setSource} required error={noSource ? t('copy.sourceRequired') : undefined}>
        <option value="">{t('copy.chooseSource')}</option>
        {sources.map((l) => (
          <option key={l.code} value={l.code}>
            {l.code} {l.title}
          </option>
        ))}
      </SelectField>
      <fieldset className="mb-3">
        <legend className="form-label fs-6 fw-semibold">{t('copy.measures')}</legend>
        {(['link', 'copy'] as const).map((m) => (
          <div className="form-check" key={m}>
            <input className="form-check-input" type="radio" name="copy-measures" id={`copy-measures-${m}`} checked={mode === m} onChange={() => setMode(m)} />
            <label className="form-check-label" htmlFor={`copy-measures-${m}`}>
              {t(`copy.mode.${m}`)}
            </label>
          </div>
        ))}
      </fieldset>
      <p className="small">{t('copy.targets', { list: targets.join(', ') })}</p>
      <ProblemAlert error={pa.error} ns="campaign" />
      {pa.preview && <BulkPreview outcome={pa.preview} id="copy-preview" />}
      {pa.result && <BulkPreview outcome={pa.result} id="copy-result" />}
    </Dialog>
  );
}

export function LinkDialog({ open, cycle, targets, onClose, onDone, sources }: Common & { sources: LeafStatus[] }) {
  const { t } = useTranslation('campaign');
  const [source, setSource] = useState('');
  const [measures, setMeasures] = useState<Assessment['measures']>([]);
  const [measure, setMeasure] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    setMeasure('');
    setMeasures([]);
    if (!source) return;
    const ctl = new AbortController();
    api
      .call<Assessment>('GET /api/v1/cycles/:cycle/nodes/:code/assessment', { params: { cycle, code: source }, signal: ctl.signal })
      .then((a) => setMeasures(a.measures ?? []))
      .catch(() => setMeasures([]));
    return () => ctl.abort();
  }, [cycle, source]);
  const key = `${open}|${measure}|${targets.join(',')}`;
  const pa = usePreviewApply((dry) => linkMeasure(cycle, measure, targets, dry), key);
  const run = (dry: boolean) => {
    if (!measure) {
      setMissing(true);
      return;
    }
    setMissing(false);
    void pa.go(dry).then(() => {
      if (!dry) {
        announce(t('link.done'));
        onDone();
      }
    });
  };
  const hasPreview = pa.preview !== null && pa.preview.targets.length > pa.preview.skipped;
  return (
    <Dialog
      open={open}
      id="link-dialog"
      title={t('link.title', { count: targets.length })}
      onClose={onClose}
      footer={<Footer onClose={onClose} busy={pa.busy} canApply={hasPreview} onPreview={() => run(true)} onApply={() => run(false)} done={pa.result !== null} />}
    >
      <p>{t('link.intro')}</p>
      <SelectField id="link-source" label={t('link.source')} value={source} onChange={setSource}>
        <option value="">{t('copy.chooseSource')}</option>
        {sources.map((l) => (
          <option key={l.code} value={l.code}>
            {l.code} {l.title}
          </option>
        ))}
      </SelectField>
      <SelectField id="link-measure" label={t('link.measure')} value={measure} onChange={setMeasure} required error={missing ? t('link.measureRequired') : undefined}>
        <option value="">{t('link.chooseMeasure')}</option>
        {measures.map((m) => (
          <option key={m.id} value={m.id ?? ''}>
            {m.title || m.key}
          </option>
        ))}
      </SelectField>
      <p className="small">{t('copy.targets', { list: targets.join(', ') })}</p>
      <ProblemAlert error={pa.error} ns="campaign" />
      {pa.preview && <BulkPreview outcome={pa.preview} id="link-preview" />}
      {pa.result && <BulkPreview outcome={pa.result} id="link-result" />}
    </Dialog>
  );
}

export function ExcludeDialog({ open, cycle, targets, onClose, onDone }: Common) {
  const { t } = useTranslation('campaign');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [short, setShort] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setReason('');
      setError(null);
      setShort(false);
    }
  }, [open]);
  const apply = async () => {
    if (reason.trim().length < 10) {
      setShort(true);
      document.getElementById('exclude-reason')?.focus();
      return;
    }
    setShort(false);
    setBusy(true);
    setError(null);
    try {
      await excludeLeaves(cycle, targets, reason.trim());
      announce(t('exclude.done', { count: targets.length }));
      onDone();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      id="exclude-dialog"
      title={t('exclude.title', { count: targets.length })}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-outline-secondary" onClick={onClose} disabled={busy}>
            {t('common:actions.cancel')}
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void apply()} disabled={busy} data-testid="exclude-apply">
            {busy ? t('dialog.working') : t('exclude.apply', { count: targets.length })}
          </button>
        </>
      }
    >
      <p>{t('exclude.intro')}</p>
      <p className="small">{t('copy.targets', { list: targets.join(', ') })}</p>
      <TextArea id="exclude-reason" label={t('exclude.reason')} value={reason} onChange={setReason} required hint={t('exclude.reasonHint')} error={short ? t('exclude.reasonShort') : undefined} />
      <ProblemAlert error={error} ns="campaign" />
    </Dialog>
  );
}
