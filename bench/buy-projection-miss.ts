/**
 * npx tsx bench/buy-projection-miss.ts — what buying a product purchase has not heard of yet costs.
 *
 * Boots the whole system in-process (real PostgreSQL, real JetStream) and buys BENCH_BUYS products
 * one at a time through the gateway, alternating: one its projection knows (the fast path), one
 * whose projection row was removed just before (a miss: purchase asks product over its internal
 * route, then records the answer). Interleaved, so a busy machine slows both sides alike: read the
 * difference, not the absolute figures.
 */
import { Shopper } from '../test/support/marketplace.js';
import { sql } from '../test/support/sql.js';
import { TestSystem } from '../test/support/test-system.js';
import { percentile } from './support/load.js';

const BUYS = Number(process.env.BENCH_BUYS ?? 40);

const system = await TestSystem.start('bench_miss');
try {
  const seller = await Shopper.signUp(system.gatewayUrl, 'Bench seller');
  const buyer = await Shopper.signUp(system.gatewayUrl, 'Bench buyer');
  const products: string[] = [];
  for (let i = 0; i < 2 * BUYS + 4; i++) products.push(await seller.register({ priceKrw: 1_000 + i }));
  for (let waited = 0; ; waited += 100) {
    const [row] = await sql<{ known: number }>(
      system.databases.purchase.url,
      'SELECT count(*)::int AS known FROM product_projection WHERE id = ANY($1::uuid[])',
      [products],
    );
    if (row?.known === products.length) break;
    if (waited > 60_000) throw new Error('purchase never heard of the products');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const timings = { hit: [] as number[], miss: [] as number[] };
  const buy = async (kind: 'hit' | 'miss', productId: string, measured: boolean) => {
    if (kind === 'miss')
      await sql(system.databases.purchase.url, 'DELETE FROM product_projection WHERE id = $1', [productId]);
    const started = performance.now();
    const answer = await buyer.buy(productId);
    const took = performance.now() - started;
    if (answer.data?.buy.status !== 'PAID') throw new Error(`buy failed: ${JSON.stringify(answer.errors)}`);
    if (measured) timings[kind].push(took);
  };
  // Two of each to warm the paths (plans, pools, JIT, the first service token), then measured.
  for (let i = 0; i < 4; i++) await buy(i % 2 ? 'miss' : 'hit', products.shift()!, false);
  for (let i = 0; i < 2 * BUYS; i++) await buy(i % 2 ? 'miss' : 'hit', products.shift()!, true);

  const row = (kind: 'hit' | 'miss') =>
    `| ${kind === 'hit' ? 'projection knows it' : 'projection miss → product asked'} | ${timings[kind].length} | ${percentile(timings[kind], 50).toFixed(1)} | ${percentile(timings[kind], 95).toFixed(1)} |`;
  console.log(
    [
      '| buy through the gateway | buys | p50 ms | p95 ms |',
      '|---|---|---|---|',
      row('hit'),
      row('miss'),
    ].join('\n'),
  );
} finally {
  await system.stop();
}
process.exit(0);
