import type { EventHandler } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { RemoveWithdrawnSellersProducts } from '../../../application/remove-withdrawn-sellers-products/remove-withdrawn-sellers-products.use-case.js';

/** MemberWithdrawn → their products still on sale are deleted; sold ones stay as deal records. */
export function removeProductsOnMemberWithdrawn(
  remove: RemoveWithdrawnSellersProducts,
  logger: Logger,
): EventHandler<'MemberWithdrawn', unknown> {
  return async (event) => {
    const removed = await remove.execute(event.payload.memberId);
    logger.debug({ eventId: event.id, memberId: event.payload.memberId, removed }, 'MemberWithdrawn handled');
  };
}
