import type { EventHandler } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { PutProductBackOnSale } from '../../../application/put-product-back-on-sale/put-product-back-on-sale.use-case.js';

/** PaymentCancelled → the product is ON_SALE again. The stream sequence orders payment facts (see README). */
export function putBackOnSaleOnPaymentCancelled(
  putBack: PutProductBackOnSale,
  logger: Logger,
): EventHandler<'PaymentCancelled', unknown> {
  return async (event, meta) => {
    const { productId, purchaseId } = event.payload;
    const outcome = await putBack.execute({ productId, purchaseId, sequence: meta.streamSequence });
    logger.debug(
      { eventId: event.id, productId, purchaseId, seq: meta.streamSequence, outcome },
      'PaymentCancelled handled',
    );
  };
}
