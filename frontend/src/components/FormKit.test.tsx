import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { focusFirstInvalid } from './FormKit';

afterEach(cleanup);

describe('focusFirstInvalid', () => {
  it('focuses a plain invalid field', async () => {
    render(
      <form data-testid="f">
        <input aria-label="Primo" />
        <input aria-label="Secondo" aria-invalid="true" />
      </form>,
    );
    focusFirstInvalid(screen.getByTestId('f') as HTMLFormElement);
    await waitFor(() => expect(screen.getByLabelText('Secondo')).toHaveFocus());
  });

  // aria-invalid belongs to the radio group (a radio may not carry it): focus goes into the group.
  it('focuses the checked option of an invalid radio group, else its first option', async () => {
    const first = render(
      <form data-testid="f">
        <fieldset role="radiogroup" aria-invalid="true">
          <legend>Esito</legend>
          <input type="radio" name="e" aria-label="Attuata" />
          <input type="radio" name="e" aria-label="Non attuata" />
        </fieldset>
      </form>,
    );
    focusFirstInvalid(screen.getByTestId('f') as HTMLFormElement);
    await waitFor(() => expect(screen.getByLabelText('Attuata')).toHaveFocus());
    first.unmount();
    render(
      <form data-testid="f">
        <fieldset role="radiogroup" aria-invalid="true">
          <legend>Esito</legend>
          <input type="radio" name="e" aria-label="Attuata" />
          <input type="radio" name="e" aria-label="Non attuata" defaultChecked />
        </fieldset>
      </form>,
    );
    focusFirstInvalid(screen.getByTestId('f') as HTMLFormElement);
    await waitFor(() => expect(screen.getByLabelText('Non attuata')).toHaveFocus());
    expect(screen.getByRole('radiogroup', { name: 'Esito' })).toHaveAttribute('aria-invalid', 'true');
    for (const r of screen.getAllByRole('radio')) expect(r).not.toHaveAttribute('aria-invalid');
  });
});
