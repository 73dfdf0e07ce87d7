import DataLoader from 'dataloader';
import { perRequest } from '@gaji/platform/graphql';
import type { PurchaseQueries, PurchaseView } from '../../../application/ports/read-models.js';

/** Deals by id, one query per request batch (federation `_entities` included). */
export const purchaseLoader = (context: object, queries: PurchaseQueries) =>
  perRequest(
    context,
    'purchases',
    () =>
      new DataLoader<string, PurchaseView | null>(async (ids) => {
        const found = new Map((await queries.findDealsByIds(ids)).map((view) => [view.id, view]));
        return ids.map((id) => found.get(id) ?? null);
      }),
  );

/** The PAID purchase of each product, one query per request batch. */
export const paidPurchaseOfProductLoader = (context: object, queries: PurchaseQueries) =>
  perRequest(
    context,
    'paid-by-product',
    () =>
      new DataLoader<string, PurchaseView | null>(async (productIds) => {
        const found = new Map(
          (await queries.paidDealsOfProducts(productIds)).map((view) => [view.productId, view]),
        );
        return productIds.map((id) => found.get(id) ?? null);
      }),
  );
