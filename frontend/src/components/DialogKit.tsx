// The dialog itself, on design-react-kit's Modal (reactstrap's Modal and react-transition-group underneath): a
// chunk of its own that components/Modal.tsx loads when a dialog first opens, so the first screen does not carry
// it (issue #19). Italian labels (reactstrap's defaults are English), focus returned to the opener on close.
import { Modal as KitModal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  id: string;
}

export function DialogFrame({ open, title, onClose, children, footer, id, opener }: DialogProps & { opener: RefObject<HTMLElement | null> }) {
  const { t } = useTranslation();
  // The focus goes back to the opener once the dialog has faded out, unless it has already moved elsewhere in
  // the meantime (a shortcut the closing action revealed, clicked before the fade ended): the kit's own
  // returnFocusAfterClose would take it back from there.
  const restoreFocus = () => {
    const active = document.activeElement;
    const stillHere = !active || active === document.body || active.closest('.modal') !== null;
    if (stillHere && opener.current?.isConnected) opener.current.focus();
  };
  return (
    <KitModal isOpen={open} toggle={onClose} labelledBy={`${id}-title`} returnFocusAfterClose={false} onClosed={restoreFocus}>
      <ModalHeader toggle={onClose} id={`${id}-title`} closeAriaLabel={t('actions.close')}>
        {title}
      </ModalHeader>
      <ModalBody>{children}</ModalBody>
      {footer && <ModalFooter>{footer}</ModalFooter>}
    </KitModal>
  );
}
