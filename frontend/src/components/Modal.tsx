// Modal dialog with Italian labels (reactstrap's defaults are English), focus returned to the opener on close.
import { Modal as KitModal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Dialog({ open, title, onClose, children, footer, id }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; id: string }) {
  const { t } = useTranslation();
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (open) opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [open]);
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
