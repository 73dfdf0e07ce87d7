import { keyedLoader } from '@gaji/platform/graphql';
import type { FindPurchases } from '../../../application/find-purchases/find-purchases.query.js';

/** Deals by id, one query per request batch (federation `_entities` included). */
export const purchaseLoader = (context: object, findPurchases: FindPurchases) =>
  keyedLoader(
    context,
    'purchases',
    (ids) => findPurchases.byIds(ids),
    (deal) => deal.id,
  );

/** The PAID purchase of each product, one query per request batch. */
export const paidPurchaseOfProductLoader = (context: object, findPurchases: FindPurchases) =>
  keyedLoader(
    context,
    'paid-by-product',
    (productIds) => findPurchases.paidOfProducts(productIds),
    (deal) => deal.productId,
  );
