import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Dialog } from './Modal';

describe('Dialog', () => {
  it('is a labelled dialog with an Italian close button', async () => {
    const onClose = vi.fn();
    render(
      <Dialog open id="t" title="Rinvia con osservazioni" onClose={onClose}>
        <p>contenuto</p>
      </Dialog>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Rinvia con osservazioni' });
    expect(dialog).toHaveTextContent('contenuto');
    await userEvent.click(screen.getByRole('button', { name: 'Chiudi' }));
    expect(onClose).toHaveBeenCalled();
  });
});
