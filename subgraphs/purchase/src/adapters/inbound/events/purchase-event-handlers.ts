import type { SqlExecutor } from '@gaji/platform/database';
import type { EventHandlers } from '@gaji/platform/events';
import type { CancelOnProductSaleRejected } from '../../../application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import type { ConfirmPaidOnPaymentCompleted } from '../../../application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import type { MarkProductDeletedOnProductDeleted } from '../../../application/mark-product-deleted-on-product-deleted/mark-product-deleted-on-product-deleted.policy.js';
import type { ProjectProductOnProductRegistered } from '../../../application/project-product-on-product-registered/project-product-on-product-registered.policy.js';
import type { WithdrawBuysOnMemberWithdrawn } from '../../../application/withdraw-buys-on-member-withdrawn/withdraw-buys-on-member-withdrawn.policy.js';

export interface PurchasePolicies {
  projectProductOnProductRegistered: ProjectProductOnProductRegistered;
  markProductDeletedOnProductDeleted: MarkProductDeletedOnProductDeleted;
  confirmPaidOnPaymentCompleted: ConfirmPaidOnPaymentCompleted;
  cancelOnProductSaleRejected: CancelOnProductSaleRejected;
  withdrawBuysOnMemberWithdrawn: WithdrawBuysOnMemberWithdrawn;
}

/**
 * The events purchase reacts to. The platform's consumer runs each handler in the transaction that
 * records the event id, and the repositories join it, so an effect is applied once per event; it
 * also sets the incoming event as the cause of whatever the policy records. A PaymentCompleted
 * whose purchase is already decided (the usual case) is acked after one read, without all that.
 */
export function purchaseEventHandlers<Tx extends SqlExecutor>(policies: PurchasePolicies): EventHandlers<Tx> {
  return {
    ProductRegistered: (event, meta) =>
      policies.projectProductOnProductRegistered.execute(event.payload, meta.streamSequence),
    ProductDeleted: (event, meta) =>
      policies.markProductDeletedOnProductDeleted.execute(event.payload, meta.streamSequence),
    PaymentCompleted: {
      alreadySettled: (event) => policies.confirmPaidOnPaymentCompleted.alreadySettled(event.payload),
      apply: (event) => policies.confirmPaidOnPaymentCompleted.execute(event.payload),
    },
    ProductSaleRejected: (event) => policies.cancelOnProductSaleRejected.execute(event.payload),
    MemberWithdrawn: async (event) => {
      await policies.withdrawBuysOnMemberWithdrawn.execute(event.payload, new Date(event.occurredAt));
    },
  };
}
