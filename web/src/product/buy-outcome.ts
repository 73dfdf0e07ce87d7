import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';
import { outcomeUnknown } from '../graphql/same-intent';
import { tryAgainOf, type TryAgain } from '../ui/try-again';
import type { PurchaseStatus } from '../__generated__/graphql';

/** What became of pressing Buy, in the buyer's terms. */
export type BuyOutcome =
  | { kind: 'bought'; purchaseId: string }
  /** Paid, but the product was deleted or its seller withdrew as payment arrived: refunded. */
  | { kind: 'withdrawn'; purchaseId: string }
  | { kind: 'payment-unavailable'; retryAfterSeconds: number }
  /**
   * PRODUCT_NOT_AVAILABLE: another buyer's purchase holds the item (nothing was charged), or the
   * item was taken down (deleted, its seller gone) while this buy was being paid — purchase heard
   * of it before deciding, or product refused the sale while the purchase was pending — after the
   * charge, which payment refunds on PurchaseFailed. The notice says both.
   */
  | { kind: 'already-sold' }
  | { kind: 'refused'; reason: 'not-yet-buyable' | 'own-product' | 'declined' | 'failed' }
  /** Refused before anything was reserved or charged: too many requests, or purchase too busy. */
  | { kind: 'try-later'; wait: TryAgain }
  /**
   * No answer, or one that does not say what happened (the purchase may or may not have gone
   * through): retry with the same key — after `wait`, when the server said it was too busy to tell.
   */
  | { kind: 'no-answer'; wait?: TryAgain };

/** What a purchase answered by `buy` means: a deal that stands, or one cancelled as it was made. */
export function buyAnswerOf(purchase: { id: string; status: PurchaseStatus }): BuyOutcome {
  return purchase.status === 'PAID'
    ? { kind: 'bought', purchaseId: purchase.id }
    : { kind: 'withdrawn', purchaseId: purchase.id };
}

export function buyOutcomeOf(error: unknown): BuyOutcome {
  const first = graphQLErrorsOf(error)[0];
  if (!first || outcomeUnknown(error)) {
    const wait = tryAgainOf(error);
    return wait ? { kind: 'no-answer', wait } : { kind: 'no-answer' };
  }
  switch (errorCode(first)) {
    case 'PAYMENT_UNAVAILABLE': {
      const seconds = Number(first.extensions?.retryAfterSeconds);
      return {
        kind: 'payment-unavailable',
        retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 5,
      };
    }
    case 'PRODUCT_NOT_AVAILABLE':
      return { kind: 'already-sold' };
    case 'PRODUCT_NOT_FOUND':
      return { kind: 'refused', reason: 'not-yet-buyable' };
    case 'CANNOT_BUY_OWN_PRODUCT':
      return { kind: 'refused', reason: 'own-product' };
    case 'PAYMENT_DECLINED':
      return { kind: 'refused', reason: 'declined' };
    default: {
      const wait = tryAgainOf(error);
      return wait ? { kind: 'try-later', wait } : { kind: 'refused', reason: 'failed' };
    }
  }
}
