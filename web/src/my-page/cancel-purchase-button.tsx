import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';
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
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string>();
  const [cancel, { loading }] = useMutation(CANCEL_PURCHASE);

  const confirm = async () => {
    setMessage(undefined);
    try {
      await cancel({ variables: { id: purchaseId } });
      setConfirming(false);
      onCancelled();
    } catch (error) {
      const first = graphQLErrorsOf(error)[0];
      setMessage(
        messages[errorCode(first) ?? ''] ??
          first?.message ??
          'The purchase could not be cancelled; try again.',
      );
    }
  };

  return (
    <div className="inline-confirm">
      {confirming ? (
        <>
          <span>Cancel and get a refund?</span>
          <button
            type="button"
            className="button button--danger"
            onClick={() => void confirm()}
            disabled={loading}
          >
            {loading ? 'Cancelling…' : 'Yes, cancel purchase'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setConfirming(true)}
          aria-label={`Cancel purchase of ${title}`}
        >
          Cancel purchase
        </button>
      )}
      {message && (
        <p className="notice notice--error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
