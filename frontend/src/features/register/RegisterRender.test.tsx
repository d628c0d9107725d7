// The register's first render, counted (issue #19): a page of 50 rows is most of the register's first-load main-thread
// work at phone speed. Counts, not times, so the test is deterministic: the components React mounts for the rows and
// the i18next lookups the page makes while rendering them.
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeafStatus } from '../../api/schema.gen';
import type { Session } from '../../auth/session';
import i18n from '../../i18n';
import type { Row } from '../../lib/register/data';
import { methodology } from '../../test/methodology';
import { testSession } from '../../test/session';

const { call, download } = vi.hoisted(() => ({ call: vi.fn(), download: vi.fn() }));
let session: Session;

vi.mock('../../api/client', async (orig) => ({ ...(await orig<typeof import('../../api/client')>()), api: { call, download } }));
vi.mock('../../auth/session', async (orig) => ({ ...(await orig<typeof import('../../auth/session')>()), useCycleCode: () => '2026-2028', useSession: () => session }));

import RegisterPage from './RegisterPage';
import { clearCaches } from '../../lib/register/data';

const states = ['draft', 'submitted', 'approved', 'none'];
let rowCount = 60;
const allRows: Row[] = Array.from({ length: 60 }, (_, i) => ({
  node: `C${1 + (i % 5)}.${i}`,
  node_title: `Azione ${i}`,
  state: states[i % 4],
  risk_id: `r${i}`,
  event_code: `ER-F-${i}`,
  event_description: 'Evento',
  inherent_level: i % 3 ? 'medio' : 'alto',
  residual_level: 'basso',
  decision: 'treat_new_measures',
  units: ['AD3'],
  risk_areas: ['F'],
  measure_types: ['T01'],
  priority: 1,
  measures: i % 2,
  measures_missing: i % 2 ? ['phases'] : [],
}));
const allLeaves: LeafStatus[] = allRows.map((r, i) => ({ code: r.node ?? '', title: '', units: ['AD3'], lead_unit: 'AD3', state: r.state as LeafStatus['state'], complete: i % 3 === 0, missing_count: i % 3, excluded: false }));

function respond(op: string) {
  const rows = allRows.slice(0, rowCount);
  const leaves = allLeaves.slice(0, rowCount);
  if (op.endsWith('/register')) return Promise.resolve({ items: rows, total: rows.length, page: 1, page_size: 1000 });
  if (op.endsWith('/leaves')) return Promise.resolve({ items: leaves, total: leaves.length });
  if (op.endsWith('/methodology')) return Promise.resolve(methodology);
  if (op.endsWith('/process-map')) return Promise.resolve({ units: [], risk_areas: [], strategic_objectives: [], nodes: [], counts: {} });
  if (op.endsWith('/measure-types')) return Promise.resolve({ items: [] });
  return Promise.reject(new Error(`unexpected ${op}`));
}

interface Fiber {
  type: unknown;
  child: Fiber | null;
  sibling: Fiber | null;
}

/** The components (not host elements) React mounted under a DOM node, by name. */
function componentsUnder(el: Element): Map<string, number> {
  const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
  const out = new Map<string, number>();
  const walk = (f: Fiber | null) => {
    for (; f; f = f.sibling) {
      if (f.type && typeof f.type !== 'string') {
        const t = f.type as { displayName?: string; name?: string; render?: { name?: string }; type?: { name?: string } };
        const name = t.displayName ?? t.name ?? t.render?.name ?? t.type?.name ?? 'anonymous';
        out.set(name, (out.get(name) ?? 0) + 1);
      }
      walk(f.child);
    }
  };
  walk((el as unknown as Record<string, Fiber>)[key!].child);
  return out;
}

describe('register first render', () => {
  beforeEach(() => {
    clearCaches();
    call.mockReset();
    call.mockImplementation(respond);
    session = testSession('director');
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  async function renderRegister(n: number) {
    rowCount = n;
    const translate = vi.spyOn(i18n, 't');
    render(
      <MemoryRouter initialEntries={['/registro']}>
        <Routes>
          <Route path="/registro" element={<RegisterPage />} />
        </Routes>
        <div id="announcer" aria-live="polite" />
      </MemoryRouter>,
    );
    await screen.findByTestId('register-table');
    await screen.findAllByText('Completa');
    const body = screen.getByTestId('register-table').querySelector('tbody')!;
    const lookups = translate.mock.calls.length;
    translate.mockRestore();
    return { body, lookups };
  }

  // Before (a router Link and a CompletenessText with its own translator in each row): 150 components and 397
  // lookups for 50 rows; now 50 and 168.
  it('mounts no component per row but the row itself', async () => {
    const { body, lookups } = await renderRegister(60);
    expect(body.querySelectorAll('tr')).toHaveLength(50);
    const components = componentsUnder(body);
    console.log('register, 50 rows: components', Object.fromEntries(components), 'i18next.t calls', lookups);
    expect(Object.fromEntries(components)).toEqual({ RegisterRowView: 50 });
  });

  it('looks labels up once per page, not once per row', async () => {
    const few = await renderRegister(20);
    expect(few.body.querySelectorAll('tr')).toHaveLength(20);
    cleanup();
    clearCaches();
    // 50: one page, as 20 (a second page would add the pager's texts)
    const many = await renderRegister(50);
    expect(many.body.querySelectorAll('tr')).toHaveLength(50);
    expect(many.lookups).toBe(few.lookups);
  });
});
