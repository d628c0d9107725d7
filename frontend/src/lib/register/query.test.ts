import { describe, expect, it } from 'vitest';
import type { Profile, TreeNode } from '../../api/schema.gen';
import { pna2019 as profile2019 } from '../../test/methodology';
import { cellLevel, defaultLevels, levelRank, levelsOf, markersOf, type Row } from './data';
import { filterRows, heatmapHref, pageCount, pageRows, parseQuery, registerCellHref, sortRows, toSearchParams, type RegisterQuery, type SortContext } from './query';

// the generated schema types the profile loosely
const pna2019 = profile2019 as unknown as Profile;

function row(p: Partial<Row>): Row {
  return {
    node: 'A1',
    node_title: '',
    state: 'draft',
    risk_id: Math.random().toString(36),
    event_code: '',
    event_description: '',
    inherent_level: '',
    residual_level: '',
    decision: 'keep_existing_measures',
    units: [],
    risk_areas: [],
    measure_types: [],
    priority: 1,
    measures: 0,
    measures_missing: [],
    ...p,
  };
}

const ctx: SortContext = {
  levels: levelsOf(pna2019),
  decisionLabel: (c) => ({ treat_new_measures: 'Trattare con nuove misure', keep_existing_measures: 'Mantenere le misure esistenti', analyse_further: "Approfondire l'analisi" })[c] ?? c,
};
const codes = (rows: Row[]) => rows.map((r) => r.node);

describe('register sorting', () => {
  it('sorts action codes with numbers in order: C2.10 after C2.9', () => {
    const rows = ['C2.10', 'C2.9', 'C2.1', 'B1.2', 'C2.10.1', 'C10.1'].map((node) => row({ node }));
    expect(codes(sortRows(rows, 'action', 'asc', ctx))).toEqual(['B1.2', 'C2.1', 'C2.9', 'C2.10', 'C2.10.1', 'C10.1']);
    expect(codes(sortRows(rows, 'action', 'desc', ctx))).toEqual(['C10.1', 'C2.10.1', 'C2.10', 'C2.9', 'C2.1', 'B1.2']);
  });

  it('sorts text in Italian collation: accents and case as base letters', () => {
    const rows = [
      row({ node: '1', event_description: 'Zelo' }),
      row({ node: '2', event_description: 'èra' }),
      row({ node: '3', event_description: 'Abuso' }),
      row({ node: '4', event_description: 'attività' }),
      row({ node: '5', event_description: 'Ente' }),
    ];
    expect(codes(sortRows(rows, 'event', 'asc', ctx))).toEqual(['3', '4', '5', '2', '1']);
  });

  it('orders levels by severity, not alphabetically, unassessed lowest', () => {
    const rows = [row({ node: 'a', inherent_level: 'medio' }), row({ node: 'b', inherent_level: 'alto' }), row({ node: 'c', inherent_level: '' }), row({ node: 'd', inherent_level: 'basso' })];
    expect(codes(sortRows(rows, 'inherent', 'asc', ctx))).toEqual(['c', 'd', 'a', 'b']);
    expect(codes(sortRows(rows, 'inherent', 'desc', ctx))).toEqual(['b', 'a', 'd', 'c']);
    // alphabetical would put "alto" first ascending: make sure it is last
    expect(sortRows(rows, 'inherent', 'asc', ctx).at(-1)?.inherent_level).toBe('alto');
  });

  it('knows the five-level scale without a methodology', () => {
    const levels = levelsOf(null);
    expect(levels).toBe(defaultLevels);
    const order = ['molto_alto', 'basso', 'molto_basso', 'alto', 'medio'].sort((a, b) => levelRank(levels, a) - levelRank(levels, b));
    expect(order).toEqual(['molto_basso', 'basso', 'medio', 'alto', 'molto_alto']);
  });

  it('keeps the map order among equal values, in both directions', () => {
    const rows = [row({ node: 'x1', priority: 2 }), row({ node: 'x2', priority: 1 }), row({ node: 'x3', priority: 2 }), row({ node: 'x4', priority: 1 })];
    expect(codes(sortRows(rows, 'priority', 'asc', ctx))).toEqual(['x2', 'x4', 'x1', 'x3']);
    expect(codes(sortRows(rows, 'priority', 'desc', ctx))).toEqual(['x1', 'x3', 'x2', 'x4']);
  });

  it('sorts states in workflow order and decisions by their Italian label', () => {
    const rows = [row({ node: 's1', state: 'approved' }), row({ node: 's2', state: 'draft' }), row({ node: 's3', state: 'submitted' }), row({ node: 's4', state: 'returned' })];
    expect(codes(sortRows(rows, 'state', 'asc', ctx))).toEqual(['s2', 's4', 's3', 's1']);
    const ds = [row({ node: 'd1', decision: 'treat_new_measures' }), row({ node: 'd2', decision: 'analyse_further' }), row({ node: 'd3', decision: 'keep_existing_measures' })];
    expect(codes(sortRows(ds, 'decision', 'asc', ctx))).toEqual(['d2', 'd3', 'd1']);
  });

  it('leaves the map order without a sort key', () => {
    const rows = [row({ node: 'C2.10' }), row({ node: 'C2.9' })];
    expect(sortRows(rows, '', 'asc', ctx)).toBe(rows);
  });
});

describe('register filters in the URL', () => {
  it('round-trips every filter, the sort and the page', () => {
    const q: RegisterQuery = {
      q: 'conflitto di interessi',
      unit: 'AD2',
      risk_area: 'B-bis',
      level: 'alto',
      residual_level: 'medio',
      decision: 'treat_new_measures',
      measure_type: 'T10',
      state: 'submitted',
      inherent_cell: '3-2',
      residual_cell: '',
      node: 'C2.1',
      marker: '**',
      sort: 'inherent',
      dir: 'desc',
      size: '100',
      page: 3,
    };
    const sp = toSearchParams(q);
    expect(sp.get('risk_area')).toBe('B-bis');
    expect(sp.get('sort')).toBe('inherent');
    expect(parseQuery(new URLSearchParams(sp.toString()))).toEqual(q);
  });

  it('keeps links short: defaults are left out', () => {
    expect(toSearchParams(parseQuery(new URLSearchParams())).toString()).toBe('');
    expect(toSearchParams({ ...parseQuery(new URLSearchParams()), sort: 'action' }).toString()).toBe('sort=action');
  });

  it('ignores values that are not valid', () => {
    const q = parseQuery(new URLSearchParams('sort=nonsense&dir=sideways&size=7&page=-2&inherent_cell=x'));
    expect(q.sort).toBe('');
    expect(q.dir).toBe('asc');
    expect(q.size).toBe('50');
    expect(q.page).toBe(1);
    expect(q.inherent_cell).toBe('');
  });

  it('links heat-map cells to the register and back with the shared filters', () => {
    expect(registerCellHref('inherent', 3, 2, { unit: 'AD1', q: 'gara' })).toBe('/registro?q=gara&unit=AD1&inherent_cell=3-2');
    expect(registerCellHref('residual', 1, 1, {})).toBe('/registro?residual_cell=1-1');
    const back = heatmapHref({ ...parseQuery(new URLSearchParams('unit=AD1&decision=treat_new_measures&residual_level=alto')) });
    expect(back).toBe('/mappa-di-calore?unit=AD1');
    // the process marker is a filter of both screens
    expect(heatmapHref(parseQuery(new URLSearchParams('marker=*&decision=treat_new_measures')))).toBe('/mappa-di-calore?marker=*');
  });
});

describe('marker filter', () => {
  it('keeps the rows under a marked process or sub-process, or those with no marker on the way up', () => {
    const leaf = (code: string, marker = '', children: TreeNode[] = []) => ({ code, marker, children }) as unknown as TreeNode;
    const markers = markersOf([leaf('D1', '', [leaf('D1.1', '*', [leaf('D1.1.1', '**', [leaf('D1.1.1.1')])]), leaf('D1.2', '', [leaf('D1.2.1')])])]);
    expect(markers['D1.1.1.1']).toEqual(['*', '**']);
    const rows = [{ node: 'D1.1.1.1' }, { node: 'D1.2.1' }] as Row[];
    const base = parseQuery(new URLSearchParams());
    const nodes = (marker: string, o: { markersOf: (n: string) => string[] | undefined } = { markersOf: (n) => markers[n] }) => filterRows(rows, { ...base, marker }, o).map((r) => r.node);
    expect(nodes('*')).toEqual(['D1.1.1.1']);
    expect(nodes('**')).toEqual(['D1.1.1.1']);
    expect(nodes('none')).toEqual(['D1.2.1']);
    expect(nodes('*', { markersOf: () => undefined })).toEqual(['D1.1.1.1', 'D1.2.1']); // the map not loaded yet
  });
});

describe('register filtering', () => {
  const rows = [
    row({ node: 'C2.1.1', node_title: 'Attività ispettiva', units: ['AD3'], risk_areas: ['F'], inherent_level: 'alto', residual_level: 'medio', measure_types: ['T01'] }),
    row({ node: 'C2.1.2', node_title: 'Sanzioni', units: ['AD3'], risk_areas: ['F'], inherent_level: 'medio', event_code: 'ER-F-01', event_description: 'Omessa verifica' }),
    row({ node: 'B1.1', node_title: 'Concorsi', units: ['AD1'], risk_areas: ['A'], inherent_level: 'alto', state: 'approved' }),
  ];

  it('matches every word, accents and case ignored, in code, title and event', () => {
    expect(codes(filterRows(rows, { ...parseQuery(new URLSearchParams('q=ATTIVITA')) }))).toEqual(['C2.1.1']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('q=c2.1 verifica'))))).toEqual(['C2.1.2']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('q=er-f-01'))))).toEqual(['C2.1.2']);
  });

  it('combines unit, area, levels, type, state and node', () => {
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('unit=AD3&level=alto'))))).toEqual(['C2.1.1']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('residual_level=medio&measure_type=T01'))))).toEqual(['C2.1.1']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('state=approved'))))).toEqual(['B1.1']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('node=C2.1'))))).toEqual(['C2.1.1', 'C2.1.2']);
    expect(codes(filterRows(rows, parseQuery(new URLSearchParams('node=C2.1.1'))))).toEqual(['C2.1.1']);
  });

  it('filters a heat-map cell exactly when rows carry it, by the cell level otherwise', () => {
    const level = (c: string) => {
      const [l, i] = c.split('-').map(Number);
      return cellLevel(pna2019, l, i);
    };
    const q = parseQuery(new URLSearchParams('inherent_cell=3-3'));
    // the current API: no cell on the rows, the level of cell 3-3 (alto) stands in
    expect(codes(filterRows(rows, q, { cellLevel: level }))).toEqual(['C2.1.1', 'B1.1']);
    const withCells = rows.map((r, i) => ({ ...r, inherent_cell: i === 0 ? [3, 3] : [2, 3] }));
    expect(codes(filterRows(withCells, q, { cellLevel: level }))).toEqual(['C2.1.1']);
  });

  it('pages through the rows or shows them all', () => {
    const many = Array.from({ length: 260 }, (_, i) => i);
    expect(pageRows(many, '100', 3)).toEqual(many.slice(200));
    expect(pageRows(many, '250', 9)).toEqual(many.slice(250));
    expect(pageRows(many, 'all', 2)).toBe(many);
  });

  it('pages by 50 rows unless the link asks for another size or for all of them', () => {
    expect(parseQuery(new URLSearchParams()).size).toBe('50');
    expect(pageCount(530, parseQuery(new URLSearchParams()).size)).toBe(11);
    expect(toSearchParams({ ...parseQuery(new URLSearchParams()), size: 'all' }).toString()).toBe('size=all');
    expect(parseQuery(new URLSearchParams('size=all')).size).toBe('all');
  });
});
