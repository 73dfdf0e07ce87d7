import DataLoader from 'dataloader';
import { perRequest } from '@gaji/platform/graphql';
import type { FindProducts } from '../../../application/find-products/find-products.query.js';
import type { ProductView } from '../../../application/ports/product-catalog.js';

/** Batches every product lookup by id of one request into one query (federation's `_entities` included). */
export function productLoader(
  context: object,
  findProducts: FindProducts,
): DataLoader<string, ProductView | null> {
  return perRequest(
    context,
    'products',
    () => new DataLoader((ids: readonly string[]) => findProducts.byIds(ids)),
  );
}

/** Batches `Member.products` of one request (e.g. every seller in an `_entities` call) into one query. */
export function productsBySellerLoader(
  context: object,
  findProducts: FindProducts,
): DataLoader<string, ProductView[]> {
  return perRequest(
    context,
    'products-by-seller',
    () => new DataLoader((ids: readonly string[]) => findProducts.listedBySellers(ids)),
  );
}
