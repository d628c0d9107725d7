// Test stand-in for components/Modal: design-react-kit does not resolve under Vitest's node conditions (its
// package exports only "module" and "main"), so tests render the dialog as a plain labelled element.
import type { ReactNode } from 'react';

export function Dialog({ open, title, children, footer, id, onClose }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; id: string }) {
  if (!open) return null;
  return (
    <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <button type="button" onClick={onClose}>
        Chiudi
      </button>
      {children}
      {footer}
    </div>
  );
}
