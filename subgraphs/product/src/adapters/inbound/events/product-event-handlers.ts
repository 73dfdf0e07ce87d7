import type { EventPayload } from '@gaji/contracts';
import type { EventHandler, EventHandlers } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { SqlExecutor } from '@gaji/platform/database';
import type { MarkSoldOnPaymentCompleted } from '../../../application/mark-sold-on-payment-completed/mark-sold-on-payment-completed.policy.js';
import type { RemoveLateListingOnProductRegistered } from '../../../application/remove-late-listing-on-product-registered/remove-late-listing-on-product-registered.policy.js';
import type { RecordFailureOnPurchaseFailed } from '../../../application/record-failure-on-purchase-failed/record-failure-on-purchase-failed.policy.js';
import type { PutBackOnSaleOnPaymentCancelled } from '../../../application/put-back-on-sale-on-payment-cancelled/put-back-on-sale-on-payment-cancelled.policy.js';
import type { RemoveProductsOnMemberWithdrawn } from '../../../application/remove-products-on-member-withdrawn/remove-products-on-member-withdrawn.policy.js';

export interface ProductPolicies {
  markSoldOnPaymentCompleted: MarkSoldOnPaymentCompleted;
  putBackOnSaleOnPaymentCancelled: PutBackOnSaleOnPaymentCancelled;
  recordFailureOnPurchaseFailed: RecordFailureOnPurchaseFailed;
  removeProductsOnMemberWithdrawn: RemoveProductsOnMemberWithdrawn;
  removeLateListingOnProductRegistered: RemoveLateListingOnProductRegistered;
}

/**
 * The events product reacts to. Payment facts (and PurchaseFailed, a fact about the same deals)
 * carry their stream sequence, which chooses between two deals open at once (see README, "Payment facts in any order"). The platform's consumer runs each handler in the transaction that records the
 * event id, and the repositories join it, so an effect is applied once per event.
 */
export function productEventHandlers<Tx extends SqlExecutor>(
  policies: ProductPolicies,
  logger: Logger,
): EventHandlers<Tx> {
  // Payment facts: the outcome (APPLIED, IGNORED as already so, UNKNOWN_PRODUCT) is only worth a debug line.
  const paymentFact =
    <K extends 'PaymentCompleted' | 'PaymentCancelled' | 'PurchaseFailed'>(policy: {
      execute(payment: EventPayload<K>, sequence: number, occurredAt: Date): Promise<string>;
    }): EventHandler<K, Tx> =>
    async (event, meta) => {
      const outcome = await policy.execute(event.payload, meta.streamSequence, new Date(event.occurredAt));
      const { productId, purchaseId } = event.payload;
      logger.debug(
        { eventId: event.id, productId, purchaseId, seq: meta.streamSequence, outcome },
        `${event.type} handled`,
      );
    };
  return {
    PaymentCompleted: paymentFact(policies.markSoldOnPaymentCompleted),
    PaymentCancelled: paymentFact(policies.putBackOnSaleOnPaymentCancelled),
    PurchaseFailed: paymentFact(policies.recordFailureOnPurchaseFailed),
    MemberWithdrawn: async (event) => {
      const { removed, refused } = await policies.removeProductsOnMemberWithdrawn.execute(
        event.payload,
        new Date(event.occurredAt),
      );
      const line = { eventId: event.id, memberId: event.payload.memberId, removed, refused };
      // A refused sale is the withdrawal race (a buy paid as the seller left): worth a line at info.
      if (refused > 0) logger.info(line, 'MemberWithdrawn refused sales completed after the withdrawal');
      else logger.debug(line, 'MemberWithdrawn handled');
    },
    ProductRegistered: async (event) => {
      const removed = await policies.removeLateListingOnProductRegistered.execute(event.payload);
      if (removed > 0)
        logger.info(
          { eventId: event.id, sellerId: event.payload.sellerId, removed },
          'late listing of a withdrawn seller removed',
        );
    },
  };
}
