import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import type { Methodology, Profile } from '../../api/schema.gen';
import { pna2019 } from '../../test/methodology';
import { WordingForm } from './WordingForm';

afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

const current: Methodology = { cycle: '2026-2028', profile: pna2019 as unknown as Profile, chosen: false, version: 0 };

describe('wording of the cycle’s profile', () => {
  it('sends the corrected wording with the version read and hands back the answer', async () => {
    const sent: unknown[] = [];
    vi.spyOn(api, 'call').mockImplementation(async (op, opts = {}) => {
      expect(op).toBe('PUT /api/v1/cycles/:cycle/methodology/wording');
      sent.push(opts.body);
      return { ...current, version: 1 };
    });
    const saved = vi.fn();
    render(<WordingForm cycle="2026-2028" methodology={current} onSaved={saved} onCancel={() => undefined} />);
    const user = userEvent.setup();
    const kri1 = screen.getByRole('group', { name: 'KRI-1' });
    const question = within(kri1).getByRole('textbox', { name: 'Domanda per il valutatore' });
    await user.clear(question);
    await user.type(question, 'Il processo attribuisce vantaggi a terzi?');
    await user.click(screen.getByRole('button', { name: 'Salva le correzioni' }));
    expect(saved).toHaveBeenCalledWith(expect.objectContaining({ version: 1 }));
    const body = sent[0] as { version: number; profile: { likelihood_indicators: Array<{ question: string }>; matrix: string[][] } };
    expect(body.version).toBe(0);
    expect(body.profile.likelihood_indicators[0].question).toBe('Il processo attribuisce vantaggi a terzi?');
    expect(body.profile.matrix).toEqual(pna2019.matrix); // the rules travel unchanged
    const r = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false } } });
    expect(r.violations.map((v) => v.id)).toEqual([]);
  });

  it('explains that a confirmed methodology can no longer be reworded', async () => {
    vi.spyOn(api, 'call').mockRejectedValue(new ApiError({ type: 't', title: 'x', status: 409, code: 'methodology_confirmed' }));
    render(<WordingForm cycle="2026-2028" methodology={current} onSaved={() => undefined} onCancel={() => undefined} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Salva le correzioni' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('La metodologia è già confermata');
  });
});
