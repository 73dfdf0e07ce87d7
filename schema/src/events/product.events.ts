import { z } from 'zod';

const productRef = { productId: z.string(), sellerId: z.string() };

export const productEvents = {
  ProductRegistered: {
    context: 'product',
    aggregateType: 'Product',
    version: 1,
    payload: z.object({
      ...productRef,
      title: z.string(),
      description: z.string(),
      priceKrw: z.number().int().positive(),
      imageUrl: z.string().nullable(),
    }),
  },
  ProductDeleted: {
    context: 'product',
    aggregateType: 'Product',
    version: 1,
    payload: z.object({ ...productRef, reason: z.enum(['DELETED_BY_SELLER', 'SELLER_WITHDRAWN']) }),
  },
  ProductSold: {
    context: 'product',
    aggregateType: 'Product',
    version: 1,
    payload: z.object({ ...productRef, purchaseId: z.string() }),
  },
  /**
   * Payment completed for a product that was deleted before purchase heard of it (the short window
   * of eventual consistency): product refuses the sale, and purchase cancels so payment refunds.
   */
  ProductSaleRejected: {
    context: 'product',
    aggregateType: 'Product',
    version: 1,
    payload: z.object({ ...productRef, purchaseId: z.string(), reason: z.enum(['PRODUCT_DELETED']) }),
  },
  ProductPutBackOnSale: {
    context: 'product',
    aggregateType: 'Product',
    version: 1,
    payload: z.object({ ...productRef, purchaseId: z.string() }),
  },
} as const;
