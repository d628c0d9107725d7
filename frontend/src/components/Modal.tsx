// Modal dialog with Italian labels (reactstrap's defaults are English), focus returned to the opener on close.
import { Modal as KitModal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Dialog({ open, title, onClose, children, footer, id }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; id: string }) {
  const { t } = useTranslation();
  return (
    <KitModal isOpen={open} toggle={onClose} labelledBy={`${id}-title`} returnFocusAfterClose>
      <ModalHeader toggle={onClose} id={`${id}-title`} closeAriaLabel={t('actions.close')}>
        {title}
      </ModalHeader>
      <ModalBody>{children}</ModalBody>
      {footer && <ModalFooter>{footer}</ModalFooter>}
    </KitModal>
  );
}
