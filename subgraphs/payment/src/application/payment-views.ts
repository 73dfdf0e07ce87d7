import type { Payment } from '../domain/payment.aggregate.js';
import type { PaymentView } from './ports/payment-directory.js';

/** The read model of a stored payment; null for a tombstone, which is not a payment. */
export function viewOf(payment: Payment): PaymentView | null {
  const { id, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt } =
    payment.snapshot();
  if (status === 'VOIDED' || amountKrw === null || completedAt === null) return null;
  return { id, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt };
}
