import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';

/** What became of pressing Buy, in the buyer's terms. */
export type BuyOutcome =
  | { kind: 'bought'; purchaseId: string }
  | { kind: 'payment-unavailable'; retryAfterSeconds: number }
  | { kind: 'already-sold' }
  | { kind: 'refused'; message: string };

export function buyOutcomeOf(error: unknown): BuyOutcome {
  const first = graphQLErrorsOf(error)[0];
  switch (errorCode(first)) {
    case 'PAYMENT_UNAVAILABLE': {
      const seconds = Number(first?.extensions?.retryAfterSeconds);
      return {
        kind: 'payment-unavailable',
        retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 5,
      };
    }
    case 'PRODUCT_NOT_AVAILABLE':
      return { kind: 'already-sold' };
    case 'PRODUCT_NOT_FOUND':
      return {
        kind: 'refused',
        message:
          'This item cannot be bought right now: it was listed moments ago or has just been removed. Try again in a moment.',
      };
    case 'CANNOT_BUY_OWN_PRODUCT':
      return { kind: 'refused', message: 'This is your own listing; you cannot buy it.' };
    case 'PAYMENT_DECLINED':
      return { kind: 'refused', message: 'Your payment was declined. Nothing was charged.' };
    default:
      return {
        kind: 'refused',
        message: first?.message ?? 'We could not reach Gaji Market. Check your connection and try again.',
      };
  }
}
