// Polite announcements for screen readers ("32 azioni trovate", "Valutazione salvata") through the one live
// region the shell renders (#announcer).
export function announce(message: string): void {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // a new text node after a tick makes screen readers read a repeated message again
  window.setTimeout(() => {
    el.textContent = message;
  }, 50);
}
