import type { EventHandler } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { MarkProductSold } from '../../../application/mark-product-sold/mark-product-sold.use-case.js';

/** PaymentCompleted → the product is SOLD. The stream sequence orders payment facts (see README). */
export function markSoldOnPaymentCompleted(
  markSold: MarkProductSold,
  logger: Logger,
): EventHandler<'PaymentCompleted', unknown> {
  return async (event, meta) => {
    const { productId, purchaseId } = event.payload;
    const outcome = await markSold.execute({ productId, purchaseId, sequence: meta.streamSequence });
    // Unknown: a product of another deployment or one never registered here; nothing to do, ever.
    logger.debug(
      { eventId: event.id, productId, purchaseId, seq: meta.streamSequence, outcome },
      'PaymentCompleted handled',
    );
  };
}
