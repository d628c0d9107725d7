import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Dialog } from './Modal';

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>Apri</button>
      <input id="other" aria-label="Altro campo" />
      <Dialog open={open} id="h" title="Conferma" onClose={() => setOpen(false)}>
        <p>contenuto</p>
      </Dialog>
    </>
  );
}

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

  it('loads the dialog kit when a dialog first opens, and renders nothing before', async () => {
    // A fresh copy of the module: the kit not yet loaded, as in the browser before the first dialog (issue #19).
    vi.resetModules();
    const fresh = await import('./Modal');
    const { container, rerender } = render(
      <fresh.Dialog open={false} id="lazy" title="Caricata dopo" onClose={() => undefined}>
        <p>contenuto</p>
      </fresh.Dialog>,
    );
    expect(container).toBeEmptyDOMElement();
    rerender(
      <fresh.Dialog open id="lazy" title="Caricata dopo" onClose={() => undefined}>
        <p>contenuto</p>
      </fresh.Dialog>,
    );
    expect(await screen.findByRole('dialog', { name: 'Caricata dopo' })).toHaveTextContent('contenuto');
  });

  it('gives the focus back to the button that opened it', async () => {
    const page = within(render(<Harness />).container);
    await userEvent.click(page.getByRole('button', { name: 'Apri' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conferma' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Chiudi' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Conferma' })).toBeNull());
    await waitFor(() => expect(page.getByRole('button', { name: 'Apri' })).toHaveFocus());
  });

  it('leaves the focus where it went while the dialog was fading out', async () => {
    const page = within(render(<Harness />).container);
    await userEvent.click(page.getByRole('button', { name: 'Apri' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conferma' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Chiudi' }));
    // Before the fade ends, the person moves on to another field.
    page.getByLabelText('Altro campo').focus();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Conferma' })).toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.getByLabelText('Altro campo')).toHaveFocus();
  });
});
