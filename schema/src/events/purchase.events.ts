import { z } from 'zod';

const purchaseRef = {
  purchaseId: z.string(),
  productId: z.string(),
  buyerId: z.string(),
  sellerId: z.string(),
};

export const purchaseEvents = {
  PurchasePlaced: {
    context: 'purchase',
    aggregateType: 'Purchase',
    version: 1,
    payload: z.object({ ...purchaseRef, priceKrw: z.number().int().positive(), paymentId: z.string() }),
  },
  PurchaseCancelled: {
    context: 'purchase',
    aggregateType: 'Purchase',
    version: 1,
    payload: z.object({ ...purchaseRef }),
  },
  /**
   * Payment could not be confirmed in time (timeout, outage, open breaker) or was declined, or the
   * product refused the sale while payment was still being confirmed: the purchase never became a deal. Payment voids or refunds anything it did for this purchase id.
   */
  PurchaseFailed: {
    context: 'purchase',
    aggregateType: 'Purchase',
    version: 1,
    payload: z.object({
      ...purchaseRef,
      reason: z.enum(['PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE', 'PRODUCT_UNAVAILABLE']),
    }),
  },
} as const;
