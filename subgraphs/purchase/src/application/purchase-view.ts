import type { PurchaseState } from '../domain/purchase.aggregate.js';
import type { PurchaseView } from './ports/purchase-directory.js';

/**
 * What members see of a deal. Only deals are ever shown (the directory reads PAID and CANCELLED
 * purchases only; a use case answers with a deal or throws), so anything not cancelled is PAID,
 * and a deal was paid when it was (a deal whose payment time is unknown shows when it started).
 */
export function purchaseView(state: PurchaseState): PurchaseView {
  const { id, productId, buyerId, sellerId, priceKrw, paymentId, paidAt, startedAt, cancelledAt } = state;
  return {
    ...{ id, productId, buyerId, sellerId, priceKrw, paymentId, cancelledAt },
    status: state.status === 'CANCELLED' ? 'CANCELLED' : 'PAID',
    paidAt: paidAt ?? startedAt,
  };
}
