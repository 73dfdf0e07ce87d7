import { Shopper } from '../../test/support/marketplace.js';
import { sql } from '../../test/support/sql.js';

/**
 * A seller who listed `count` products through the gateway at `gatewayUrl`, once purchase's
 * projection (its database at `purchaseDatabaseUrl`) holds every one of them: purchase asks
 * product about a product it has not heard of yet, and the benchmarks measure the fast path.
 * `description`: each listing's (the API's default otherwise).
 */
export async function sellerWithProducts(
  gatewayUrl: string,
  purchaseDatabaseUrl: string,
  count: number,
  description?: string,
): Promise<{ seller: Shopper; productIds: string[] }> {
  const seller = await Shopper.signUp(gatewayUrl, 'Bench seller');
  // Registered a few at a time: thousands of products for the buy benchmark take a while.
  const productIds: string[] = [];
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start) }, (_, k) =>
      seller.register({ title: `Bench item ${start + k}`, priceKrw: 10_000 + start + k, description }),
    );
    productIds.push(...(await Promise.all(batch)));
  }
  for (let waited = 0; ; waited += 200) {
    const [row] = await sql<{ known: number }>(
      purchaseDatabaseUrl,
      'SELECT count(*)::int AS known FROM product_projection WHERE id = ANY($1::uuid[])',
      [productIds],
    );
    if (row?.known === productIds.length) break;
    if (waited > 300_000) throw new Error('purchase never heard of the seeded products');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { seller, productIds };
}
