import type { EventHandler, Logger } from '@gaji/platform';
import type { RemoveWithdrawnSellersProducts } from '../../../application/remove-withdrawn-sellers-products/remove-withdrawn-sellers-products.use-case.js';

/** ProductRegistered of a seller who has withdrawn → that listing is removed too (late clean-up). */
export function removeLateListingOnProductRegistered(
  remove: RemoveWithdrawnSellersProducts,
  logger: Logger,
): EventHandler<'ProductRegistered', unknown> {
  return async (event) => {
    const removed = await remove.removeLateListings(event.payload.sellerId);
    if (removed > 0)
      logger.info(
        { eventId: event.id, sellerId: event.payload.sellerId, removed },
        'late listing of a withdrawn seller removed',
      );
  };
}
