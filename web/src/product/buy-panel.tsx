import { useApolloClient, useMutation } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { myPagePath } from '../routing/routes';
import { tryAgainMessage } from '../ui/try-again';
import { useCountdown } from '../ui/use-countdown';
import { buyAnswerOf, buyOutcomeOf, type BuyOutcome } from './buy-outcome';
import { sendUntilAnswered } from '../graphql/same-intent';
import { newIdempotencyKey } from './idempotency-key';
import { BUY } from './product.operations';

/**
 * A buy that ended without a deal to keep: what is said, and where the buyer goes next — a refunded
 * purchase is in their purchases; an item no longer to be had leaves only the market.
 */
const NO_DEAL = {
  withdrawn: {
    message: 'product.withdrawn',
    next: { to: myPagePath('purchases'), label: 'product.seeOnMyPage' },
  },
  'already-sold': { message: 'product.alreadySold', next: { to: '/', label: 'product.backToMarket' } },
} as const;

/** Refusals that say the item may be gone: sold or taken down, or not (or no longer) known to purchase. */
export type BuyRefusal = 'already-sold' | 'not-yet-buyable';

/**
 * Buy and pay at once. One press, one request: while a purchase is in flight further presses do
 * nothing (the button stays focusable, aria-disabled), and each intent carries an Idempotency-Key.
 * When no answer comes back (the connection dropped: the purchase may have gone through), the same
 * intent is sent again with the same key, and the server answers what the first request did.
 * Says plainly when payment or purchase is busy, or the buyer sent too many requests (and for how
 * long, the button counting the wait down), when the item is gone, or that it went as it was paid
 * for (the purchase answered CANCELLED: refunded, never shown as bought); once bought, the cached
 * product turns SOLD at once (the product's own event follows and agrees) and the buyer keeps
 * seeing that the purchase went through.
 */
export function BuyPanel({
  productId,
  onSale,
  onUnavailable,
}: {
  productId: string;
  onSale: boolean;
  /**
   * The server said the item cannot be bought (sold, taken down, or unknown to purchase — just listed
   * or just deleted): the page asks for it again, so its badge does not go on saying 판매중 when the
   * live status missed the sale or the deletion (a dropped socket).
   */
  onUnavailable?: (refusal: BuyRefusal) => void;
}) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [buy] = useMutation(BUY);
  const [paying, setPaying] = useState(false);
  const [outcome, setOutcome] = useState<BuyOutcome>();
  const [retryAt, setRetryAt] = useState<number>();
  const secondsLeft = useCountdown(retryAt);
  const inFlight = useRef(false);
  const intent = useRef<string>(undefined);
  const result = useRef<HTMLDivElement>(null);

  const finished =
    outcome?.kind === 'bought' || outcome?.kind === 'withdrawn' || outcome?.kind === 'already-sold';
  useEffect(() => {
    if (finished) result.current?.focus(); // the button is gone: focus moves to what happened
  }, [finished]);

  const press = async () => {
    if (inFlight.current || secondsLeft > 0) return;
    inFlight.current = true;
    setPaying(true);
    setOutcome(undefined);
    intent.current ??= newIdempotencyKey();
    const key = intent.current;
    try {
      const { data } = await sendUntilAnswered(() =>
        buy({ variables: { productId }, context: { headers: { 'Idempotency-Key': key } } }),
      );
      intent.current = undefined;
      if (data) {
        const answer = buyAnswerOf(data.buy);
        // Only a deal that stands sells the product; a withdrawn one leaves it to the product's events.
        if (answer.kind === 'bought')
          client.cache.modify({
            id: client.cache.identify({ __typename: 'Product', id: productId }),
            fields: { status: () => 'SOLD' },
          });
        setOutcome(answer);
      }
    } catch (error) {
      const next = buyOutcomeOf(error);
      if (next.kind !== 'no-answer') intent.current = undefined;
      const wait =
        next.kind === 'payment-unavailable'
          ? next.retryAfterSeconds
          : next.kind === 'try-later' || next.kind === 'no-answer'
            ? next.wait?.seconds
            : undefined;
      if (wait !== undefined) setRetryAt(Date.now() + wait * 1000);
      setOutcome(next);
      if (next.kind === 'already-sold') onUnavailable?.('already-sold');
      if (next.kind === 'refused' && next.reason === 'not-yet-buyable') onUnavailable?.('not-yet-buyable');
    } finally {
      inFlight.current = false;
      setPaying(false);
    }
  };

  if (outcome?.kind === 'bought') {
    return (
      <div ref={result} tabIndex={-1} className="notice notice--success" role="status" data-outcome="bought">
        <p>
          <strong>{t('product.bought')}</strong>
        </p>
        <p>
          <Link to={myPagePath('purchases')}>{t('product.seeOnMyPage')}</Link>
        </p>
      </div>
    );
  }
  if (outcome?.kind === 'withdrawn' || outcome?.kind === 'already-sold') {
    const { message, next } = NO_DEAL[outcome.kind];
    return (
      <div
        ref={result}
        tabIndex={-1}
        className="notice notice--warning"
        role="alert"
        data-outcome={outcome.kind}
      >
        <p>{t(message)}</p>
        <p>
          <Link to={next.to}>{t(next.label)}</Link>
        </p>
      </div>
    );
  }
  // Sold to someone else while the page was open (the live status said so).
  if (!onSale) return <p className="notice notice--warning">{t('product.sold')}</p>;
  const waiting = secondsLeft > 0;
  return (
    <div className="buy-panel">
      <button
        type="button"
        className="button button--primary button--wide"
        onClick={() => void press()}
        aria-disabled={paying || waiting}
        aria-describedby="buy-feedback"
      >
        {paying
          ? t('product.paying')
          : waiting
            ? t('product.retryIn', { seconds: secondsLeft })
            : t('product.buy')}
      </button>
      <div id="buy-feedback" aria-live="polite">
        {outcome?.kind === 'payment-unavailable' && (
          <p className="notice notice--warning" data-outcome="payment-unavailable">
            {waiting
              ? t('product.paymentUnavailable', { seconds: outcome.retryAfterSeconds })
              : t('product.paymentUnavailableOver')}
          </p>
        )}
        {outcome?.kind === 'try-later' && (
          <p className="notice notice--warning" data-outcome="try-later">
            {tryAgainMessage(outcome.wait, t, { over: !waiting && outcome.wait.seconds !== undefined })}
          </p>
        )}
        {outcome?.kind === 'refused' && (
          <p className="notice notice--error" data-outcome={outcome.reason}>
            {outcome.reason === 'not-yet-buyable'
              ? t('product.notYetBuyable')
              : outcome.reason === 'own-product'
                ? t('product.ownProduct')
                : outcome.reason === 'declined'
                  ? t('product.declined')
                  : t('state.failed')}
          </p>
        )}
        {outcome?.kind === 'no-answer' && (
          <p className="notice notice--error" data-outcome="no-answer">
            {outcome.wait
              ? tryAgainMessage(outcome.wait, t, { over: !waiting && outcome.wait.seconds !== undefined })
              : t('state.offline')}
          </p>
        )}
      </div>
    </div>
  );
}
