import { useMutation } from '@apollo/client';
import { useRef } from 'react';
import { outcomeUnknown, sendUntilAnswered } from '../graphql/same-intent';
import { newIdempotencyKey } from '../product/idempotency-key';
import { useTranslation } from 'react-i18next';
import { InlineConfirm } from '../ui/inline-confirm';
import { CANCEL_PURCHASE } from './my-page.operations';

/**
 * Cancels my purchase (the payment is refunded, the item goes back on sale), after a confirmation.
 * The intent carries an Idempotency-Key and is re-sent under it while its outcome is unknown, so a
 * cancel that went through but lost its answer is answered as done, not "already cancelled".
 */
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
  const intent = useRef<string>(undefined);
  return (
    <InlineConfirm
      trigger={{ label: t('cancelPurchase.trigger'), ariaLabel: t('cancelPurchase.triggerFor', { title }) }}
      question={t('cancelPurchase.question')}
      confirm={{ label: t('cancelPurchase.confirm'), busyLabel: t('cancelPurchase.busy') }}
      keepLabel={t('cancelPurchase.keep')}
      run={async () => {
        const key = (intent.current ??= newIdempotencyKey());
        try {
          await sendUntilAnswered(() =>
            cancel({ variables: { id: purchaseId }, context: { headers: { 'Idempotency-Key': key } } }),
          );
        } catch (error) {
          if (!outcomeUnknown(error)) intent.current = undefined; // answered: the next press is a new intent
          throw error;
        }
        intent.current = undefined;
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
