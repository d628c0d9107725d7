import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../../api/schema.gen';
import { levelsOf } from '../../lib/register/data';
import { branchCodes, childrenShown, filterTree, leafStatuses, nodeMatches, parseMapQuery, toMapParams, type MapFilters } from './tree';

function n(code: string, title: string, p: Partial<TreeNode> = {}, children: TreeNode[] = []): TreeNode {
  const level = (['macro', 'process', 'subprocess', 'action'] as const)[code.split('.').length - 1];
  return { level, code, title, function: '', units: [], strategic_objectives: [], risk_areas: [], marker: '', note: '', is_leaf: children.length === 0, children, ...p };
}

const tree: TreeNode[] = [
  n('C1', 'Semplificazione e trasparenza', {}, [
    n('C1.1', 'Gestione del registro delle imprese', { units: ['AD2'], risk_areas: ['C'], marker: '*' }, [
      n('C1.1.1', 'Istruttoria pratiche', { units: ['AD2'], risk_areas: ['C'] }, [
        n('C1.1.1.1', 'Iscrizioni d’ufficio', { units: ['AD2'], risk_areas: ['C'], strategic_objectives: ['OS6'] }),
        n('C1.1.1.2', 'Cancellazioni', { units: ['AD2'], risk_areas: ['C', 'F'], note: 'Attività di verifica' }),
      ]),
      n('C1.1.2', 'Attività certificativa', { units: ['AD2'], risk_areas: ['C'], marker: '**' }),
    ]),
  ]),
  n('B1', 'Risorse umane', {}, [n('B1.1', 'Concorsi e selezioni', { units: ['AD1'], risk_areas: ['A'] })]),
];
const f = (p: Partial<MapFilters>): MapFilters => ({ q: '', unit: '', risk_area: '', objective: '', marker: '', ...p });
const sorted = (s: Set<string>) => [...s].sort();

describe('process-map filtering', () => {
  it('keeps the whole tree without filters', () => {
    expect(filterTree(tree, f({}))).toBeNull();
  });

  it('keeps the matches and their ancestors, opened so the matches show', () => {
    const r = filterTree(tree, f({ q: 'cancellazioni' }))!;
    expect(sorted(r.matches)).toEqual(['C1.1.1.2']);
    expect(sorted(r.visible)).toEqual(['C1', 'C1.1', 'C1.1.1', 'C1.1.1.2']);
    expect(sorted(r.open)).toEqual(['C1', 'C1.1', 'C1.1.1']);
  });

  it('searches code, title and note, every word, accents and case ignored', () => {
    expect(sorted(filterTree(tree, f({ q: 'ATTIVITA' }))!.matches)).toEqual(['C1.1.1.2', 'C1.1.2']);
    expect(sorted(filterTree(tree, f({ q: 'c1.1.1 verifica' }))!.matches)).toEqual(['C1.1.1.2']);
    expect(sorted(filterTree(tree, f({ q: 'iscrizioni d’ufficio' }))!.matches)).toEqual(['C1.1.1.1']);
  });

  it('filters by unit, risk area, strategic objective and marker', () => {
    expect(sorted(filterTree(tree, f({ unit: 'AD1' }))!.matches)).toEqual(['B1.1']);
    expect(sorted(filterTree(tree, f({ risk_area: 'F' }))!.matches)).toEqual(['C1.1.1.2']);
    expect(sorted(filterTree(tree, f({ objective: 'OS6' }))!.matches)).toEqual(['C1.1.1.1']);
    expect(sorted(filterTree(tree, f({ marker: '*' }))!.matches)).toEqual(['C1.1']);
    expect(sorted(filterTree(tree, f({ marker: '**' }))!.matches)).toEqual(['C1.1.2']);
    expect(nodeMatches(tree[1], f({ marker: 'none' }))).toBe(true);
    expect(nodeMatches(tree[0].children[0], f({ marker: 'none' }))).toBe(false);
    expect(filterTree(tree, f({ unit: 'AD2', risk_area: 'A' }))!.matches.size).toBe(0);
  });

  it('shows a match’s own content when nothing below it matches', () => {
    const r = filterTree(tree, f({ marker: '*' }))!;
    const c1 = tree[0];
    const c11 = c1.children[0];
    // C1 shows only the branch leading to the match
    expect(childrenShown(c1, r).children.map((c) => c.code)).toEqual(['C1.1']);
    // the match C1.1 shows all its children, and their subtrees unfiltered
    const own = childrenShown(c11, r);
    expect(own.children.map((c) => c.code)).toEqual(['C1.1.1', 'C1.1.2']);
    expect(own.childFilter).toBeNull();
    // a match with matches below shows only those
    const deep = filterTree(tree, f({ unit: 'AD2', q: 'c1.1' }))!;
    expect(childrenShown(c11, deep).children.map((c) => c.code)).toEqual(['C1.1.1', 'C1.1.2']);
    expect(childrenShown(c11, deep).childFilter).toBe(deep);
  });

  it('lists the branches for "expand all"', () => {
    expect(branchCodes(tree)).toEqual(['C1', 'C1.1', 'C1.1.1', 'B1']);
  });

  it('round-trips filters and selection through the URL', () => {
    const q = { q: 'registro imprese', unit: 'AD2', risk_area: 'B-bis', objective: 'OS6', marker: '**', node: 'C1.1.2' };
    expect(parseMapQuery(new URLSearchParams(toMapParams(q).toString()))).toEqual(q);
    expect(parseMapQuery(new URLSearchParams('marker=***')).marker).toBe('');
    expect(toMapParams({ q: '', unit: '' }).toString()).toBe('');
  });
});

describe('leaf states from the register', () => {
  it('gives each leaf its state, worst inherent level and number of risks', () => {
    const levels = levelsOf(null);
    const s = leafStatuses(
      [
        { node: 'C1.1.1.1', state: 'submitted', inherent_level: 'medio' },
        { node: 'C1.1.1.1', state: 'submitted', inherent_level: 'molto_alto' },
        { node: 'C1.1.1.1', state: 'submitted', inherent_level: 'basso' },
        { node: 'B1.1', state: 'draft', inherent_level: '' },
      ],
      levels,
    );
    expect(s.get('C1.1.1.1')).toEqual({ state: 'submitted', level: 'molto_alto', risks: 3 });
    expect(s.get('B1.1')).toEqual({ state: 'draft', level: '', risks: 1 });
    expect(s.has('C1.1.2')).toBe(false);
  });
});

describe('leaf completeness in the tree', () => {
  it('adds what each assessment lacks, and the drafts without risks', async () => {
    const { withCompleteness } = await import('./tree');
    const statuses = new Map([['A1', { state: 'draft', level: 'alto', risks: 2 }]]);
    const out = withCompleteness(statuses, [
      { code: 'A1', state: 'draft', missing_count: 3, complete: false },
      { code: 'A2', state: 'draft', missing_count: 0, complete: true },
      { code: 'A3', state: 'none', missing_count: 0, complete: false },
    ]);
    expect(out.get('A1')).toEqual({ state: 'draft', level: 'alto', risks: 2, missing: 3, complete: false });
    expect(out.get('A2')).toEqual({ state: 'draft', level: '', risks: 0, missing: 0, complete: true });
    expect(out.has('A3')).toBe(false);
  });
});
