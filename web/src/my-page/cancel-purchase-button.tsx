import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { InlineConfirm } from '../ui/inline-confirm';
import { CANCEL_PURCHASE } from './my-page.operations';

/** Cancels my purchase (the payment is refunded, the item goes back on sale), after a confirmation. */
export function CancelPurchaseButton({
  purchaseId,
  title,
  onCancelled,
}: {
  purchaseId: string;
  title: string;
  onCancelled: () => void;
}) {
  const { t } = useTranslation();
  const [cancel] = useMutation(CANCEL_PURCHASE);
  return (
    <InlineConfirm
      trigger={{ label: t('cancelPurchase.trigger'), ariaLabel: t('cancelPurchase.triggerFor', { title }) }}
      question={t('cancelPurchase.question')}
      confirm={{ label: t('cancelPurchase.confirm'), busyLabel: t('cancelPurchase.busy') }}
      keepLabel={t('cancelPurchase.keep')}
      run={async () => {
        await cancel({ variables: { id: purchaseId } });
        onCancelled();
      }}
      messages={{
        PURCHASE_ALREADY_CANCELLED: t('cancelPurchase.PURCHASE_ALREADY_CANCELLED'),
        NOT_PURCHASE_BUYER: t('cancelPurchase.NOT_PURCHASE_BUYER'),
        PURCHASE_NOT_FOUND: t('cancelPurchase.PURCHASE_NOT_FOUND'),
      }}
      fallback={t('cancelPurchase.failed')}
    />
  );
}
