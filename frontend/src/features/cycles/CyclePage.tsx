// Cycle management (/ciclo): the RPCT takes the selected cycle through its lifecycle (campaign deadline,
// methodology, exclusions, consolidation, adoption, publication, revision or next cycle); the OIV reads the
// state and writes its notes. Every irreversible step asks for confirmation first.
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditRecord, Cycle, Progress } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { Page } from '../../components/Page';
import { useApi } from '../../lib/useApi';
import { AdoptionSection, PublicationSection } from './AdoptionSection';
import { CampaignSection } from './CampaignSection';
import { CycleSteps } from './CycleSteps';
import { ConsolidationSection, ExclusionsSection } from './ExclusionsSection';
import { exclusionsFromAudit, type Exclusion } from './lifecycle';
import { GranularitySection } from './GranularitySection';
import { MethodologySection } from './MethodologySection';
import { OivNotesSection } from './OivNotesSection';
import { RollForwardReviewSection } from './RollForwardReviewSection';
import { NextCycleSection, SnapshotSection } from './SnapshotSection';
import './cycles.css';

function CycleManagement({ cycle }: { cycle: Cycle }) {
  const s = useSession();
  const canManage = s.can('cycle', 'manage');
  const canAudit = s.can('audit', 'read');
  const progress = useApi((signal) => api.call<Progress>('GET /api/v1/cycles/:cycle/progress', { params: { cycle: cycle.code }, signal }), [cycle.code, cycle.state]);
  // No route lists the exclusions: they are rebuilt from the cycle's audit records (see lifecycle.ts).
  const audited = useApi(
    (signal) =>
      canManage && canAudit
        ? api
            .call<{ items: AuditRecord[] }>('GET /api/v1/audit', {
              query: { entity: 'cycle', entity_id: cycle.code, action: 'exclude', page_size: 1000 },
              signal,
            })
            .then((p) => exclusionsFromAudit(p.items))
        : Promise.resolve(undefined),
    [cycle.code, canManage, canAudit],
  );
  const [fresh, setFresh] = useState<Exclusion[] | null>(null);
  const exclusions = fresh ?? audited.data;
  const excluded = useMemo(() => new Set((exclusions ?? []).map((x) => x.node)), [exclusions]);
  const [prefill, setPrefill] = useState<{ code: string; n: number } | null>(null);
  const changed = useCallback(async () => {
    // Stay on this cycle: without a remembered choice the session would jump to a newer open one (e.g. the
    // revision just created), and the outcome shown here would vanish.
    s.selectCycle(cycle.code);
    await s.reloadCycles().catch(() => undefined);
    progress.reload();
  }, [s, progress, cycle.code]);

  const open = cycle.state === 'open';
  const adopted = cycle.state === 'adopted' || cycle.state === 'published';
  return (
    <>
      <CampaignSection
        key={`campaign-${cycle.code}`}
        cycle={cycle}
        progress={progress.data}
        error={progress.error}
        loading={progress.loading}
        canManage={canManage}
        onProgress={progress.setData}
      />
      {canManage && open && <RollForwardReviewSection cycle={cycle} />}
      {canManage && open && <GranularitySection cycle={cycle} onChanged={changed} />}
      <MethodologySection cycle={cycle} progress={progress.data} canManage={canManage} />
      {canManage && (open || (exclusions && exclusions.length > 0)) && (
        <ExclusionsSection
          cycle={cycle}
          exclusions={canAudit ? exclusions : (fresh ?? [])}
          error={audited.error}
          editable={open}
          prefill={prefill}
          onExcluded={setFresh}
        />
      )}
      {canManage && open && (
        <ConsolidationSection
          cycle={cycle}
          excluded={excluded}
          onExclude={(code) => setPrefill((p) => ({ code, n: (p?.n ?? 0) + 1 }))}
          onChanged={changed}
        />
      )}
      {canManage && cycle.state === 'consolidated' && <AdoptionSection cycle={cycle} onChanged={changed} />}
      {canManage && cycle.state === 'adopted' && <PublicationSection cycle={cycle} onChanged={changed} />}
      {adopted && <SnapshotSection cycle={cycle} />}
      {canManage && adopted && <NextCycleSection cycle={cycle} onChanged={changed} />}
    </>
  );
}

export default function CyclePage() {
  const { t } = useTranslation('cycles');
  const s = useSession();
  const cycle = s.cycle;
  const canManage = s.can('cycle', 'manage');
  const canNotes = s.can('oiv_note', 'read');
  const title = cycle ? t('title', { code: cycle.code }) : t('titleNoCycle');
  if (!canManage && !canNotes) {
    return (
      <Page title={t('titleNoCycle')} crumbs={[{ label: t('titleNoCycle') }]}>
        <div className="alert alert-warning">{t('forbidden')}</div>
      </Page>
    );
  }
  if (!cycle) {
    return (
      <Page title={title} crumbs={[{ label: t('titleNoCycle') }]}>
        <p>{t('noCycle')}</p>
      </Page>
    );
  }
  return (
    <Page title={title} crumbs={[{ label: t('titleNoCycle') }]}>
      <p className="cycle-intro">{canManage ? t('introManage') : t('introRead')}</p>
      <CycleSteps key={`steps-${cycle.code}`} cycle={cycle} />
      <CycleManagement key={`manage-${cycle.code}`} cycle={cycle} />
      {canNotes && <OivNotesSection key={`notes-${cycle.code}`} cycle={cycle} canWrite={s.can('oiv_note', 'write')} />}
    </Page>
  );
}
