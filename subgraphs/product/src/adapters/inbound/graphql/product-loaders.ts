import { groupedLoader, keyedLoader } from '@gaji/platform/graphql';
import type { FindProducts } from '../../../application/find-products/find-products.query.js';

/** Every product lookup by id of one request in one query (federation's `_entities` included). */
export const productLoader = (context: object, findProducts: FindProducts) =>
  keyedLoader(
    context,
    'products',
    (ids) => findProducts.byIds(ids),
    (product) => product.id,
  );

/**
 * `Member.products(first:)` of one request (e.g. every seller in an `_entities` call) in one query
 * per page size asked for.
 */
export const productsBySellerLoader = (context: object, findProducts: FindProducts, first: number) =>
  groupedLoader(
    context,
    `products-by-seller:${first}`,
    (sellerIds) => findProducts.listedBySellers(sellerIds, first),
    (product) => product.sellerId,
  );
