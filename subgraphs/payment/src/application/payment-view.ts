import type { PaymentState } from '../domain/payment.aggregate.js';
import type { PaymentView } from './ports/payment-directory.js';

/** What members and purchase may see of a payment's state; null for a tombstone, which is not a payment. */
export function paymentView(state: PaymentState): PaymentView | null {
  const { id, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt } = state;
  if (status === 'VOIDED' || amountKrw === null || completedAt === null) return null;
  return { id, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt };
}
