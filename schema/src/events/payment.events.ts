import { z } from 'zod';

const paymentRef = {
  paymentId: z.string(),
  purchaseId: z.string(),
  productId: z.string(),
  buyerId: z.string(),
  sellerId: z.string(),
  amountKrw: z.number().int().positive(),
};

export const paymentEvents = {
  PaymentCompleted: {
    context: 'payment',
    aggregateType: 'Payment',
    version: 1,
    payload: z.object(paymentRef),
  },
  /**
   * The charge was refunded. `reason` says what the refund undoes: a deal the buyer cancelled (or
   * that product withdrew), or a purchase that FAILED and so never was a deal — a charge that
   * completed after purchase gave up on it (its late charge), which nobody but payment ever saw.
   * Absent on events recorded before it was added: read as PURCHASE_CANCELLED, as they were.
   */
  PaymentCancelled: {
    context: 'payment',
    aggregateType: 'Payment',
    version: 1,
    payload: z.object({
      ...paymentRef,
      reason: z.enum(['PURCHASE_CANCELLED', 'PURCHASE_FAILED']).optional(),
    }),
  },
} as const;
