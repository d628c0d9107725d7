import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SkipLinks } from './Shell';

// Every skip link must land on an element of the page: the public frame has a main but no side navigation.
function targetsMissing(): string[] {
  return screen
    .getAllByRole('link')
    .map((a) => a.getAttribute('href') ?? '')
    .filter((href) => href.startsWith('#') && !document.getElementById(href.slice(1)));
}

describe('skip links', () => {
  it('on a public page offer only the main content, which exists', () => {
    render(
      <>
        <SkipLinks />
        <main id="main" tabIndex={-1} />
      </>,
    );
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['#main']);
    expect(targetsMissing()).toEqual([]);
  });

  it('in the signed-in shell also reach the navigation', () => {
    render(
      <>
        <SkipLinks withNav />
        <nav id="nav" tabIndex={-1} aria-label="Menu" />
        <main id="main" tabIndex={-1} />
      </>,
    );
    expect(screen.getByRole('link', { name: 'Vai alla navigazione' })).toHaveAttribute('href', '#nav');
    expect(targetsMissing()).toEqual([]);
  });
});
