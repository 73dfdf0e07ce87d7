import { useMutation } from '@apollo/client';
import { InlineConfirm } from '../ui/inline-confirm';
import { CANCEL_PURCHASE } from './my-page.operations';

const messages: Record<string, string> = {
  PURCHASE_ALREADY_CANCELLED: 'This purchase was already cancelled.',
  NOT_PURCHASE_BUYER: 'Only the buyer can cancel a purchase.',
  PURCHASE_NOT_FOUND: 'This purchase no longer exists.',
};

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
  const [cancel] = useMutation(CANCEL_PURCHASE);
  return (
    <InlineConfirm
      trigger={{ label: 'Cancel purchase', ariaLabel: `Cancel purchase of ${title}` }}
      question="Cancel and get a refund?"
      confirm={{ label: 'Yes, cancel purchase', busyLabel: 'Cancelling…' }}
      run={async () => {
        await cancel({ variables: { id: purchaseId } });
        onCancelled();
      }}
      messages={messages}
      fallback="The purchase could not be cancelled; try again."
    />
  );
}
