import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { pna2019 } from '../../test/methodology';
import { judgementFromApi, judgementToApi } from './model';
import { resetContextCache, SupportingData, SupportingDataList } from './SupportingData';

afterEach(cleanup);
afterEach(() => {
  vi.restoreAllMocks();
  resetContextCache();
});

const context = {
  kind: 'context', cycle: '2026-2028', version: 2, simplified: false, computed: {},
  content: {
    external: { text: '', items: [{ id: 'c1', category: 'criminalita', label: 'Delitti denunciati', value: 2750, year: 2024, unit: 'per 100.000 ab.' }] },
    internal: { text: '', items: [{ id: 'c2', category: 'procedimenti_disciplinari', label: 'Procedimenti disciplinari', value: 0, year: 2025 }] },
  },
};

function Harness({ initial }: { initial: string[] }) {
  const [v, setV] = useState(initial);
  return (
    <>
      <SupportingData id="j1" cycle="2026-2028" value={v} suffix="" onChange={setV} />
      <output data-testid="value">{v.join(',')}</output>
    </>
  );
}

describe('dati a supporto', () => {
  it('offers the context items and keeps the choice', async () => {
    vi.spyOn(api, 'call').mockResolvedValue(context);
    render(<Harness initial={['c2', 'gone']} />);
    const first = await screen.findByLabelText('Delitti denunciati: 2750 per 100.000 ab. (2024)');
    expect(first).not.toBeChecked();
    expect(screen.getByLabelText('Procedimenti disciplinari: 0 (2025)')).toBeChecked();
    // a cited item no longer in the context can be removed
    await userEvent.click(screen.getByLabelText(/Dato non più presente/));
    await userEvent.click(first);
    expect(screen.getByTestId('value')).toHaveTextContent('c2,c1');
  });

  it('survives the round trip through the form model', () => {
    const p = pna2019 as never;
    const d = judgementFromApi(p, { values: [], reason: 'motivo', supporting_data: ['c1'] });
    expect(judgementToApi(p, d).supporting_data).toEqual(['c1']);
    expect(judgementToApi(p, judgementFromApi(p, { values: [], reason: 'x' })).supporting_data).toBeUndefined();
  });

  it('lists the cited items as text in the read-only view', async () => {
    vi.spyOn(api, 'call').mockResolvedValue(context);
    render(<SupportingDataList cycle="2026-2028" value={['c2']} />);
    expect(await screen.findByText('Procedimenti disciplinari: 0 (2025)')).toBeInTheDocument();
  });
});
