// What the campaign adds around the editor: the lead unit (who submits a leaf of several units), the hand-off
// for signature ("pronto per la firma") with its button, the link to copy this assessment to other leaves, and
// the warning about a risk event entered twice (saved all the same: it may be deliberate).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { handOff, withdrawHandOff } from '../../api/campaign';
import type { Assessment, FieldError, HandOff } from '../../api/schema.gen';
import { ProblemAlert } from '../../components/FormKit';
import { announce } from '../../lib/announce';
import { formatDateTime } from '../../lib/format';

/** "risks[3].event_code" → 4; the message names the first entry as risks[N]. */
function riskNumbers(w: FieldError): [number, number] | null {
  const at = /^risks\[(\d+)\]/.exec(w.field ?? '');
  const first = /risks\[(\d+)\]/.exec(w.message ?? '');
  if (!at) return null;
  return [Number(at[1]) + 1, first ? Number(first[1]) + 1 : 0];
}

export function DuplicateEventWarnings({ warnings }: { warnings?: FieldError[] }) {
  const { t } = useTranslation('assessment');
  const dups = (warnings ?? []).filter((w) => w.code === 'duplicate_event');
  if (dups.length === 0) return null;
  return (
    <div className="alert alert-warning" role="note" data-testid="duplicate-events">
      <p className="mb-1 fw-semibold">{t('campaign.duplicateTitle')}</p>
      <ul className="mb-0">
        {dups.map((w, i) => {
          const n = riskNumbers(w);
          return <li key={i}>{n ? t('campaign.duplicate', { n: n[0], first: n[1] }) : w.message}</li>;
        })}
      </ul>
    </div>
  );
}

/** The hand-off of the draft to the director, for who writes the assessment. */
export function HandOffPanel({
  cycle,
  code,
  assessment,
  canWrite,
  canSubmit,
}: {
  cycle: string;
  code: string;
  assessment: Pick<Assessment, 'version' | 'state' | 'handed_off' | 'lead_unit'>;
  canWrite: boolean;
  canSubmit: boolean;
}) {
  const { t } = useTranslation('assessment');
  const [handed, setHanded] = useState<HandOff | undefined>(assessment.handed_off);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editable = assessment.state === 'draft' || assessment.state === 'returned';
  const run = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const leaf = on ? await handOff(cycle, code) : await withdrawHandOff(cycle, code);
      setHanded(leaf.handed_off);
      announce(on ? t('campaign.handedOffDone') : t('campaign.withdrawnDone'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="mb-3" aria-labelledby="handoff-title" data-testid="handoff">
      <h2 id="handoff-title" className="visually-hidden">
        {t('campaign.handOffTitle')}
      </h2>
      {handed ? (
        <p className="alert alert-info mb-2" role="status">
          {t('campaign.handedOff', { who: handed.by_name || handed.by, when: formatDateTime(handed.at) })}
        </p>
      ) : null}
      <div className="d-flex flex-wrap gap-2">
        {canWrite && editable && assessment.version > 0 && !canSubmit && !handed && (
          <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void run(true)} disabled={busy} data-testid="handoff-button">
            {t('campaign.handOff', { unit: assessment.lead_unit ?? '' })}
          </button>
        )}
        {canWrite && editable && handed && (
          <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => void run(false)} disabled={busy}>
            {t('campaign.withdraw')}
          </button>
        )}
        {canWrite && assessment.version > 0 && (
          <Link className="btn btn-link btn-sm" to={`/campagna?copia=${encodeURIComponent(code)}`}>
            {t('campaign.copyTo')}
          </Link>
        )}
      </div>
      <ProblemAlert error={error} ns="assessment" />
    </section>
  );
}
