import type { EventHandlers } from '@gaji/platform/events';
import type { CancelOnProductSaleRejected } from '../../../application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import type { ConfirmPaidOnPaymentCompleted } from '../../../application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import type { ProjectProducts } from '../../../application/project-products/project-products.policy.js';
import type { PurchaseTx } from '../../outbound/prisma/purchase-database.js';

/** Which events the purchase context reacts to, and how. */
export function purchasePolicies(deps: {
  projectProducts: ProjectProducts;
  confirmPaid: ConfirmPaidOnPaymentCompleted;
  cancelOnSaleRejected: CancelOnProductSaleRejected;
}): EventHandlers<PurchaseTx> {
  return {
    ProductSaleRejected: (event) => deps.cancelOnSaleRejected.execute(event.payload),
    ProductRegistered: (event, meta) => deps.projectProducts.onRegistered(event.payload, meta.streamSequence),
    ProductDeleted: (event, meta) => deps.projectProducts.onDeleted(event.payload, meta.streamSequence),
    PaymentCompleted: (event) => deps.confirmPaid.execute(event.payload),
  };
}
