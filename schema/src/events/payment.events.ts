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
  PaymentCancelled: {
    context: 'payment',
    aggregateType: 'Payment',
    version: 1,
    payload: z.object(paymentRef),
  },
} as const;
