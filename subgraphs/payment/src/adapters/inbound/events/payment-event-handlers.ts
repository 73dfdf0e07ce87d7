import type { SqlExecutor } from '@gaji/platform/database';
import type { EventHandlers } from '@gaji/platform/events';
import type { RefundPaymentOnPurchaseCancelled } from '../../../application/refund-payment-on-purchase-cancelled/refund-payment-on-purchase-cancelled.policy.js';
import type { VoidOrRefundOnPurchaseFailed } from '../../../application/void-or-refund-on-purchase-failed/void-or-refund-on-purchase-failed.policy.js';

export interface PaymentPolicies {
  refundOnPurchaseCancelled: RefundPaymentOnPurchaseCancelled;
  voidOrRefundOnPurchaseFailed: VoidOrRefundOnPurchaseFailed;
}

/**
 * The events payment reacts to. The platform's consumer runs each handler in the transaction that
 * records the event id, and the repositories join it, so an effect is applied once per event;
 * it also sets the incoming event as the cause of whatever the policy records.
 */
export function paymentEventHandlers<Tx extends SqlExecutor>(policies: PaymentPolicies): EventHandlers<Tx> {
  return {
    PurchaseCancelled: (event) => policies.refundOnPurchaseCancelled.execute(event.payload),
    PurchaseFailed: (event) => policies.voidOrRefundOnPurchaseFailed.execute(event.payload),
  };
}
