// Loading the editor's data: the leaf, its assessment, the cycle's methodology and comments on every visit;
// the ente's catalogues and the map's reference tables (unit, objective and area titles) once per session.
import { createContext, useContext } from 'react';
import { api } from '../../api/client';
import type { Assessment, Comment, EnablingFactor, GeneralMeasure, MeasureType, NodeDetail, ProgrammeMeasure, RefItem, RiskEvent, Tree } from '../../api/schema.gen';
import type { MethodologyFull } from './model';

export interface Catalogues {
  events: RiskEvent[];
  factors: EnablingFactor[];
  measureTypes: MeasureType[];
  generalMeasures: GeneralMeasure[];
}

export interface RefTables {
  units: RefItem[];
  objectives: RefItem[];
  areas: RefItem[];
}

export interface LeafData {
  detail: NodeDetail;
  assessment: Assessment;
  methodology: MethodologyFull;
  comments: Comment[];
  catalogues: Catalogues;
}

type Items<T> = { items: T[] };

let cataloguesCache: Promise<Catalogues> | null = null;
const refsCache = new Map<string, Promise<RefTables>>();

/** The catalogues change rarely (the RPCT edits them): kept for the session, dropped on failure. */
export function loadCatalogues(): Promise<Catalogues> {
  if (!cataloguesCache) {
    cataloguesCache = Promise.all([
      api.call<Items<RiskEvent>>('GET /api/v1/catalogue/risk-events'),
      api.call<Items<EnablingFactor>>('GET /api/v1/catalogue/enabling-factors'),
      api.call<Items<MeasureType>>('GET /api/v1/catalogue/measure-types'),
      api.call<Items<GeneralMeasure>>('GET /api/v1/catalogue/general-measures'),
    ]).then(([e, f, mt, gm]) => ({ events: e.items ?? [], factors: f.items ?? [], measureTypes: mt.items ?? [], generalMeasures: gm.items ?? [] }));
    cataloguesCache.catch(() => {
      cataloguesCache = null;
    });
  }
  return cataloguesCache;
}

/** Titles of units, strategic objectives and risk areas come with the process map (one request per cycle). */
export function loadRefTables(cycle: string): Promise<RefTables> {
  let p = refsCache.get(cycle);
  if (!p) {
    p = api.call<Tree>('GET /api/v1/cycles/:cycle/process-map', { params: { cycle } }).then((tree) => ({
      units: tree.units ?? [],
      objectives: tree.strategic_objectives ?? [],
      areas: tree.risk_areas ?? [],
    }));
    refsCache.set(cycle, p);
    p.catch(() => refsCache.delete(cycle));
  }
  return p;
}

const programmeCache = new Map<string, Promise<ProgrammeMeasure[]>>();

/** The ente's programme of general measures of a cycle, that a leaf's general measures link (one request per cycle
 * and session; dropped on failure). */
export function loadProgramme(cycle: string): Promise<ProgrammeMeasure[]> {
  let p = programmeCache.get(cycle);
  if (!p) {
    p = api.call<ProgrammeMeasure[]>('GET /api/v1/cycles/:cycle/general-measures', { params: { cycle } }).then((l) => l ?? []);
    programmeCache.set(cycle, p);
    p.catch(() => programmeCache.delete(cycle));
  }
  return p;
}

export async function loadLeaf(cycle: string, code: string, signal: AbortSignal): Promise<LeafData> {
  const params = { cycle, code };
  const [detail, assessment, methodology, comments, catalogues] = await Promise.all([
    api.call<NodeDetail>('GET /api/v1/cycles/:cycle/nodes/:code', { params, signal }),
    api.call<Assessment>('GET /api/v1/cycles/:cycle/nodes/:code/assessment', { params, signal }),
    api.call<MethodologyFull>('GET /api/v1/cycles/:cycle/methodology', { params: { cycle }, signal }),
    api.call<Items<Comment>>('GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments', { params, signal }).then((r) => r.items ?? []),
    loadCatalogues(),
  ]);
  return { detail, assessment, methodology, comments, catalogues };
}

export interface EditorContextValue {
  cycle: string;
  code: string;
  catalogues: Catalogues;
  refs: RefTables | null;
  /** The leaf's risk areas and units, to put their events and the units first. */
  nodeAreas: string[];
  nodeUnits: string[];
  nodeObjectives: string[];
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditorContext(): EditorContextValue {
  const v = useContext(EditorContext);
  if (!v) throw new Error('useEditorContext outside the assessment page');
  return v;
}

/** "CODE – title" when the title is known. */
export function refLabel(items: RefItem[] | undefined, code: string): string {
  const title = items?.find((x) => x.code === code)?.title?.trim();
  return title ? `${code} – ${title}` : code;
}
