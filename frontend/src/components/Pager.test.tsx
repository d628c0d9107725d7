import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pager, pageWindow } from './Pager';

afterEach(cleanup);

describe('pageWindow', () => {
  it('offers the first, the last and the neighbours of the current page, an ellipsis for the rest', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(1, 11)).toEqual([1, 2, null, 11]);
    expect(pageWindow(6, 11)).toEqual([1, null, 5, 6, 7, null, 11]);
    expect(pageWindow(11, 11)).toEqual([1, null, 10, 11]);
    // a gap of one page shows the page, not an ellipsis standing for one number
    expect(pageWindow(4, 11)).toEqual([1, 2, 3, 4, 5, null, 11]);
  });
});

describe('Pager', () => {
  it('is a named nav with the current page marked, previous/next and jumps', () => {
    const onPage = vi.fn();
    render(<Pager page={6} pages={11} onPage={onPage} label="Pagine di prova" />);
    const nav = screen.getByRole('navigation', { name: 'Pagine di prova' });
    expect(nav).toHaveTextContent('Pagina 6 di 11');
    expect(screen.getByRole('button', { name: 'Pagina 6' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getAllByRole('button').filter((b) => b.hasAttribute('aria-current'))).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Pagina successiva' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pagina precedente' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pagina 11' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pagina 6' }));
    expect(onPage.mock.calls).toEqual([[7], [5], [11]]);
  });

  it('does not move past either end, and is absent for a single page', () => {
    const onPage = vi.fn();
    const { rerender } = render(<Pager page={1} pages={2} onPage={onPage} label="Pagine" />);
    fireEvent.click(screen.getByRole('button', { name: 'Pagina precedente' }));
    expect(screen.getByRole('button', { name: 'Pagina precedente' })).toHaveAttribute('aria-disabled', 'true');
    rerender(<Pager page={2} pages={2} onPage={onPage} label="Pagine" />);
    fireEvent.click(screen.getByRole('button', { name: 'Pagina successiva' }));
    expect(onPage).not.toHaveBeenCalled();
    rerender(<Pager page={1} pages={1} onPage={onPage} label="Pagine" />);
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });
});
