// Modal dialog (Italian labels, focus returned to the opener on close: components/DialogKit.tsx). The dialog kit
// (design-react-kit's Modal with reactstrap and react-transition-group) is loaded when a dialog first opens, not
// with the first screen: every signed-in page has a closed dialog (the expired session's), and the kit was a
// sixth of the first screen's script (issue #19). A closed dialog that never opened renders nothing, as before.
import { useEffect, useRef, useState } from 'react';
import type { DialogProps } from './DialogKit';

type DialogKit = typeof import('./DialogKit');

let dialogKit: DialogKit | undefined;
let dialogKitLoading: Promise<DialogKit> | undefined;

/** Loads the dialog kit once (the tests' setup loads it up front, so their dialogs open synchronously). */
export function loadDialogKit(): Promise<DialogKit> {
  dialogKitLoading ??= import('./DialogKit').then(
    (kit) => (dialogKit = kit),
    (err: unknown) => {
      dialogKitLoading = undefined; // a failed download is tried again at the next opening
      throw err;
    },
  );
  return dialogKitLoading;
}

export function Dialog(props: DialogProps) {
  const { open } = props;
  const opener = useRef<HTMLElement | null>(null);
  const [kit, setKit] = useState<DialogKit | undefined>(dialogKit);
  useEffect(() => {
    if (open) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [open]);
  useEffect(() => {
    if (!open || kit) return;
    let mounted = true;
    loadDialogKit().then(
      (loaded) => mounted && setKit(loaded),
      () => undefined, // offline: the dialog stays closed, the next opening tries again
    );
    return () => {
      mounted = false;
    };
  }, [open, kit]);
  if (!kit) return null;
  return <kit.DialogFrame {...props} opener={opener} />;
}
