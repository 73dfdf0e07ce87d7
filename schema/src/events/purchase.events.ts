import { z } from 'zod';

const purchaseRef = { purchaseId: z.string(), productId: z.string(), buyerId: z.string(), sellerId: z.string() };

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
} as const;
