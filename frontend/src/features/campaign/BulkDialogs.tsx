// The bulk tools' dialogs, on the leaves checked in the campaign list: copy an assessment, apply a measure,
// exclude with one reason. The copy and the link first show a preview (nothing written), then apply in one step.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { copyAssessment, excludeLeaves, linkMeasure, type MeasuresMode } from '../../api/campaign';
import type { Assessment, BulkOutcome, LeafStatus } from '../../api/schema.gen';
import { problemMessage, SelectField, TextArea } from '../../components/FormKit';
import { Dialog } from '../../components/Modal';
import { announce } from '../../lib/announce';
import { BulkPreview } from './BulkPreview';

/** What every bulk dialog is given by the campaign page, the cycle aside. */
interface DialogBase {
  open: boolean;
  targets: string[];
  onClose: () => void;
  onDone: () => void;
}

interface Common extends DialogBase {
  cycle: string;
}

/** The line naming the leaves a bulk tool acts on. */
function TargetsLine({ targets }: { targets: string[] }) {
  const { t } = useTranslation('campaign');
  return <p className="small">{t('copy.targets', { list: targets.join(', ') })}</p>;
}

/** The leaves to take an assessment or a measure from, after an empty first choice. */
function SourceOptions({ sources }: { sources: LeafStatus[] }) {
  const { t } = useTranslation('campaign');
  return (
    <>
      <option value="">{t('copy.chooseSource')}</option>
      {sources.map((l) => (
        <option key={l.code} value={l.code}>
          {l.code} {l.title}
        </option>
      ))}
    </>
  );
}

/**
 * The failure of a bulk request, with the fields the API names (a 422): the selection as a whole, one leaf of
 * it (`targets[i]`, `nodes[i]`: named by its code), or the way of taking the measures.
 */
function BulkProblem({ error, targets }: { error: unknown; targets: string[] }) {
  const { t } = useTranslation('campaign');
  if (error === null) return null;
  const label = (field: string) => {
    const at = /^(?:targets|nodes)\[(\d+)\]$/.exec(field);
    if (at) return t('dialog.fields.leaf', { code: targets[Number(at[1])] ?? field });
    if (field === 'targets' || field === 'nodes') return t('dialog.fields.targets');
    if (field === 'measures') return t('copy.measures');
    if (field === 'reason') return t('exclude.reason');
    return field;
  };
  const message = (code: string) => t(`fieldErrors.${code}`, { defaultValue: '' }) || t(`fieldErrors:${code}`, { defaultValue: '' }) || t('cycles:fieldErrors.invalid');
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="text-danger mt-2" role="alert" data-testid="bulk-problem">
      <p className="mb-1">{problemMessage(t, error, 'campaign')}</p>
      {fields.length > 0 && (
        <ul className="mb-0">
          {fields.map((f, i) => (
            <li key={i}>
              {f.field && <strong>{label(f.field)}: </strong>}
              {message(f.code)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PreviewApplyDialogProps extends DialogBase {
  /** "copy" or "link": the dialog is `${tool}-dialog`, its outcomes `${tool}-preview` and `${tool}-result`. */
  tool: 'copy' | 'link';
  title: string;
  intro: string;
  /** Announced once applied. */
  doneText: string;
  /** The dialog's own choices, as a key: a change drops the preview and the result. */
  choices: string;
  /** Checks the required choice before a run: marks it as missing when it is not made, and says so (false). */
  checkChoice: () => boolean;
  run: (dryRun: boolean) => Promise<BulkOutcome>;
  /** The dialog's fields, between its intro and the list of targets. */
  children: ReactNode;
}

/** A bulk tool that first shows a preview (nothing written), then applies in one step: the copy and the link. */
function PreviewApplyDialog({ tool, open, targets, title, intro, doneText, choices, checkChoice, run, onClose, onDone, children }: PreviewApplyDialogProps) {
  const { t } = useTranslation('campaign');
  const [preview, setPreview] = useState<BulkOutcome | null>(null);
  const [result, setResult] = useState<BulkOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resetKey = `${open}|${choices}|${targets.join(',')}`;
  useEffect(() => {
    setPreview(null);
    setResult(null);
    setError(null);
  }, [resetKey]);
  /** Runs the preview or the apply; true when the server answered. A failure stays in the dialog, shown. */
  const go = async (dryRun: boolean): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const out = await run(dryRun);
      if (dryRun) setPreview(out);
      else {
        setResult(out);
        setPreview(null);
      }
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const start = (dryRun: boolean) => {
    if (!checkChoice()) return;
    void go(dryRun).then((ok) => {
      // Only a change the server made is announced and re-read: a failure is already shown in the dialog.
      if (ok && !dryRun) {
        announce(doneText);
        onDone();
      }
    });
  };
  const canApply = preview !== null && preview.targets.length > preview.skipped;
  const done = result !== null;
  const footer = (
    <>
      <button type="button" className="btn btn-outline-secondary" onClick={onClose} disabled={busy}>
        {done ? t('dialog.close') : t('common:actions.cancel')}
      </button>
      {!done && (
        <>
          <button type="button" className="btn btn-outline-primary" onClick={() => start(true)} disabled={busy}>
            {t('dialog.preview')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => start(false)} disabled={busy || !canApply} data-testid="bulk-apply">
            {busy ? t('dialog.working') : t('dialog.apply')}
          </button>
        </>
      )}
    </>
  );
  return (
    <Dialog open={open} id={`${tool}-dialog`} title={title} onClose={onClose} footer={footer}>
      <p>{intro}</p>
      {children}
      <TargetsLine targets={targets} />
      <BulkProblem error={error} targets={targets} />
      {preview && <BulkPreview outcome={preview} id={`${tool}-preview`} />}
      {result && <BulkPreview outcome={result} id={`${tool}-result`} />}
    </Dialog>
  );
}

export function CopyDialog({ cycle, sources, initialSource, ...dialog }: Common & { sources: LeafStatus[]; initialSource?: string }) {
  const { open, targets } = dialog;
  const { t } = useTranslation('campaign');
  const [source, setSource] = useState(initialSource ?? '');
  const [mode, setMode] = useState<MeasuresMode>('link');
  const [noSource, setNoSource] = useState(false);
  useEffect(() => {
    if (open) setSource(initialSource ?? '');
  }, [open, initialSource]);
  const checkChoice = () => {
    setNoSource(!source);
    return source !== '';
  };
  return (
    <PreviewApplyDialog
      {...dialog}
      tool="copy"
      title={t('copy.title', { count: targets.length })}
      intro={t('copy.intro')}
      doneText={t('copy.done')}
      choices={`${source}|${mode}`}
      checkChoice={checkChoice}
      run={(dry) => copyAssessment(cycle, source, targets, mode, dry)}
    >
      <SelectField id="copy-source" label={t('copy.source')} value={source} onChange={setSource} required error={noSource ? t('copy.sourceRequired') : undefined}>
        <SourceOptions sources={sources} />
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
    </PreviewApplyDialog>
  );
}

export function LinkDialog({ cycle, sources, ...dialog }: Common & { sources: LeafStatus[] }) {
  const { targets } = dialog;
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
  const checkChoice = () => {
    setMissing(!measure);
    return measure !== '';
  };
  return (
    <PreviewApplyDialog
      {...dialog}
      tool="link"
      title={t('link.title', { count: targets.length })}
      intro={t('link.intro')}
      doneText={t('link.done')}
      choices={measure}
      checkChoice={checkChoice}
      run={(dry) => linkMeasure(cycle, measure, targets, dry)}
    >
      <SelectField id="link-source" label={t('link.source')} value={source} onChange={setSource}>
        <SourceOptions sources={sources} />
      </SelectField>
      <SelectField id="link-measure" label={t('link.measure')} value={measure} onChange={setMeasure} required error={missing ? t('link.measureRequired') : undefined}>
        <option value="">{t('link.chooseMeasure')}</option>
        {measures.map((m) => (
          <option key={m.id} value={m.id ?? ''}>
            {m.title || m.key}
          </option>
        ))}
      </SelectField>
    </PreviewApplyDialog>
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
      <TargetsLine targets={targets} />
      <TextArea id="exclude-reason" label={t('exclude.reason')} value={reason} onChange={setReason} required hint={t('exclude.reasonHint')} error={short ? t('exclude.reasonShort') : undefined} />
      <BulkProblem error={error} targets={targets} />
    </Dialog>
  );
}
