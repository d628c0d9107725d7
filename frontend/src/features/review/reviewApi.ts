// Data of the review screens, read with a fixed number of requests whatever the number of leaves: the register
// filtered by state gives the queue, one audit query gives who submitted each leaf and when, and the audit
// trail gives the content of the previous submission (the "save" records carry the whole assessment).
import { api } from '../../api/client';
import type { AuditRecord, TransitionResult } from '../../api/schema.gen';
import { isSavedChanges, type LooseAssessment } from '../../lib/assessmentDiff';
import { groupByLeaf, registerAll, type QueueItem } from '../../lib/register/leaves';

export type { QueueItem } from '../../lib/register/leaves';

export interface BulkResult {
  results: TransitionResult[];
  succeeded: number;
  failed: number;
  rolled_back: boolean;
}

interface AuditPage {
  items: AuditRecord[];
  total: number;
}

/** The latest submission of each leaf of the cycle, from the audit trail (RPCT and OIV only). */
export async function latestSubmissions(cycle: string, signal?: AbortSignal): Promise<Map<string, AuditRecord>> {
  const page = await api.call<AuditPage>('GET /api/v1/audit', { query: { entity: 'assessment', action: 'submit', page_size: 1000 }, signal });
  const out = new Map<string, AuditRecord>();
  const prefix = `${cycle}/`;
  for (const r of page.items) {
    const id = r.entity_id ?? '';
    if (id.startsWith(prefix) && !out.has(id.slice(prefix.length))) out.set(id.slice(prefix.length), r);
  }
  return out;
}

export async function loadQueue(cycle: string, withAudit: boolean, signal?: AbortSignal): Promise<QueueItem[]> {
  const [rows, subs] = await Promise.all([
    registerAll(cycle, { state: 'submitted' }, signal),
    withAudit ? latestSubmissions(cycle, signal).catch(() => new Map<string, AuditRecord>()) : Promise.resolve(new Map<string, AuditRecord>()),
  ]);
  return groupByLeaf(rows).map((item) => {
    const sub = subs.get(item.code);
    return sub ? { ...item, submittedAt: sub.at, submittedBy: sub.actor_name } : item;
  });
}

function parseJSONObject(json: string | undefined): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A whole content recorded by a save (saves now record only their changes: those are not a content). */
function parse(json: string | undefined): LooseAssessment | null {
  const v = parseJSONObject(json);
  return v && !isSavedChanges(v) && Array.isArray(v.risks) ? (v as LooseAssessment) : null;
}

export interface Baseline {
  /** first: never submitted before; never: not submitted yet; unchanged: no save since the previous submission; found: content below */
  status: 'first' | 'never' | 'unchanged' | 'found' | 'unknown';
  /** the current submission (who and when) */
  submission?: AuditRecord;
  /** the previous submission */
  previous?: AuditRecord;
  content?: LooseAssessment;
}

/**
 * loadBaseline finds the content of the previous submission of a leaf: the "after" of the last save made
 * before it (with scores), or, when there is none (e.g. a rolled-forward draft submitted unchanged), the
 * "before" of the first save after it. At most four small audit queries. With sinceLatest (an assessment
 * being edited again), the comparison is with the latest submission, the one the RPCT saw.
 */
export async function loadBaseline(cycle: string, code: string, signal?: AbortSignal, sinceLatest = false): Promise<Baseline> {
  const entity_id = `${cycle}/${code}`;
  const subs = await api.call<AuditPage>('GET /api/v1/audit', { query: { entity: 'assessment', entity_id, action: 'submit', page_size: 2 }, signal });
  // Under review (or approved), compare with the submission before; while being edited, with the last one.
  const [submission, before] = subs.items;
  const previous = sinceLatest ? submission : before;
  if (!previous) return { status: sinceLatest ? 'never' : 'first', submission };
  // A submission records the content it submitted; older ones do not, and their content is found from the saves.
  const submitted = parseJSONObject(previous.after)?.content;
  if (submitted && typeof submitted === 'object' && Array.isArray((submitted as LooseAssessment).risks)) {
    return { status: 'found', submission, previous, content: submitted as LooseAssessment };
  }
  const lastBefore = await api.call<AuditPage>('GET /api/v1/audit', {
    query: { entity: 'assessment', entity_id, action: 'save', to: previous.at, page_size: 1 },
    signal,
  });
  const content = parse(lastBefore.items[0]?.after);
  if (content) return { status: 'found', submission, previous, content };
  // No save before the previous submission: the first save after it shows what was submitted then.
  const after = await api.call<AuditPage>('GET /api/v1/audit', { query: { entity: 'assessment', entity_id, action: 'save', from: previous.at, page_size: 1 }, signal });
  if (after.total === 0) return { status: 'unchanged', submission, previous };
  const oldest = await api.call<AuditPage>('GET /api/v1/audit', {
    query: { entity: 'assessment', entity_id, action: 'save', from: previous.at, page: after.total, page_size: 1 },
    signal,
  });
  const first = parse(oldest.items[0]?.before);
  return first ? { status: 'found', submission, previous, content: first } : { status: 'unknown', submission, previous };
}
