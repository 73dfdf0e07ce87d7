import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { Link } from '../routing/link';
import { useCountdown } from '../ui/use-countdown';
import { buyOutcomeOf, type BuyOutcome } from './buy-outcome';
import { BUY } from './product.operations';

/** Buy and pay at once; says plainly when payment is busy (and for how long) or the item is gone. */
export function BuyPanel({ productId }: { productId: string }) {
  const [buy, { loading }] = useMutation(BUY);
  const [outcome, setOutcome] = useState<BuyOutcome>();
  const [retryAt, setRetryAt] = useState<number>();
  const secondsLeft = useCountdown(retryAt);

  const press = async () => {
    setOutcome(undefined);
    try {
      const { data } = await buy({ variables: { productId } });
      if (data) setOutcome({ kind: 'bought', purchaseId: data.buy.id });
    } catch (error) {
      const next = buyOutcomeOf(error);
      if (next.kind === 'payment-unavailable') setRetryAt(Date.now() + next.retryAfterSeconds * 1000);
      setOutcome(next);
    }
  };

  if (outcome?.kind === 'bought') {
    return (
      <div className="notice notice--success" role="status">
        <p>
          <strong>It is yours!</strong> Payment complete.
        </p>
        <p>
          <Link to="/my-page">See it on My Page</Link>
        </p>
      </div>
    );
  }
  if (outcome?.kind === 'already-sold') {
    return (
      <div className="notice notice--warning" role="alert" data-outcome="already-sold">
        <p>Sorry — someone else bought this item just before you. Nothing was charged.</p>
        <p>
          <Link to="/">Back to the market</Link>
        </p>
      </div>
    );
  }
  const waiting = secondsLeft > 0;
  return (
    <div className="buy-panel">
      <button
        type="button"
        className="button button--primary"
        onClick={() => void press()}
        disabled={loading || waiting}
        aria-describedby="buy-feedback"
      >
        {loading ? 'Paying…' : waiting ? `Buy (retry in ${secondsLeft}s)` : 'Buy now'}
      </button>
      <div id="buy-feedback" aria-live="polite">
        {outcome?.kind === 'payment-unavailable' && (
          <p className="notice notice--warning" role="alert" data-outcome="payment-unavailable">
            Payment is busy right now and nothing was charged. Please try again in {outcome.retryAfterSeconds}{' '}
            second
            {outcome.retryAfterSeconds === 1 ? '' : 's'}.
          </p>
        )}
        {outcome?.kind === 'refused' && (
          <p className="notice notice--error" role="alert">
            {outcome.message}
          </p>
        )}
      </div>
    </div>
  );
}
