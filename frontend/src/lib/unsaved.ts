// Pages with unsaved input register it here, so the shell's own controls (cycle picker, sign-out), which are not
// links, ask before throwing the input away.
let unsavedMessage: string | null = null;

export function setUnsaved(message: string | null): void {
  unsavedMessage = message;
}

/** True when nothing is unsaved or the user confirms leaving anyway. */
export function confirmLeave(): boolean {
  return unsavedMessage === null || window.confirm(unsavedMessage);
}
