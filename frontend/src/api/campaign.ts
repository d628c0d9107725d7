// The campaign's shared work on the leaves (server: internal/service/campaign.go, bulk.go): the list of leaves
// with state and completeness, the hand-off for signature, the lead unit, the bulk tools with their preview.
import { api } from './client';
import type { BulkOutcome, LeafStatus } from './schema.gen';

export interface LeavesQuery {
  unit?: string;
  state?: string;
  mine?: boolean;
  to_sign?: boolean;
}

/** Every leaf matching the query, a thousand per request (a map has a few hundred). */
export async function loadLeaves(cycle: string, q: LeavesQuery, signal?: AbortSignal): Promise<LeafStatus[]> {
  const out: LeafStatus[] = [];
  for (let page = 1; page <= 20; page++) {
    const p = await api.call<{ items: LeafStatus[]; total: number }>('GET /api/v1/cycles/:cycle/leaves', {
      params: { cycle },
      query: { ...q, page, page_size: 1000 },
      signal,
    });
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) break;
  }
  return out;
}

export function handOff(cycle: string, code: string): Promise<LeafStatus> {
  return api.call<LeafStatus>('POST /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off', { params: { cycle, code } });
}

export function withdrawHandOff(cycle: string, code: string): Promise<LeafStatus> {
  return api.call<LeafStatus>('DELETE /api/v1/cycles/:cycle/nodes/:code/assessment/hand-off', { params: { cycle, code } });
}

export function setLeadUnit(cycle: string, code: string, unit: string): Promise<LeafStatus> {
  return api.call<LeafStatus>('PUT /api/v1/cycles/:cycle/nodes/:code/lead-unit', { params: { cycle, code }, body: { unit } });
}

export type MeasuresMode = 'link' | 'copy';

export function copyAssessment(cycle: string, source: string, targets: string[], measures: MeasuresMode, dryRun: boolean): Promise<BulkOutcome> {
  return api.call<BulkOutcome>('POST /api/v1/cycles/:cycle/nodes/:code/assessment/copy', {
    params: { cycle, code: source },
    body: { targets, measures, dry_run: dryRun },
  });
}

export function linkMeasure(cycle: string, measure: string, targets: string[], dryRun: boolean): Promise<BulkOutcome> {
  return api.call<BulkOutcome>('POST /api/v1/cycles/:cycle/measures/:measure/links', { params: { cycle, measure }, body: { targets, dry_run: dryRun } });
}

export function excludeLeaves(cycle: string, nodes: string[], reason: string): Promise<unknown> {
  return api.call('POST /api/v1/cycles/:cycle/exclusions', { params: { cycle }, body: { nodes, reason } });
}

export function includeLeaf(cycle: string, code: string): Promise<unknown> {
  return api.call('DELETE /api/v1/cycles/:cycle/exclusions/:code', { params: { cycle, code } });
}
