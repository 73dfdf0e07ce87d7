/**
 * NODE_ENV=production npx tsx bench/product-page/page-execution.ts [seconds] [checkout] — the
 * product page's compiled execution alone (graphql-jit over the product subgraph's schema and
 * resolvers, 20 products made fresh per run as rows are; no HTTP, no database), in CPU µs per
 * page. `checkout` (default: this one) is another tree with dependencies installed, e.g. one from
 * bench/support/checkout-at.ts: its own resolvers, platform and graphql packages are loaded. The
 * answer's hash is printed so that two trees can be checked to answer byte for byte alike.
 * On a busy machine this part is steadier than the whole page over HTTP (`npm run bench`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Subgraph from '@apollo/subgraph';
import type * as GraphQL from 'graphql';
import type * as Jit from 'graphql-jit';
import type * as ProductGraphQL from '../../subgraphs/product/src/adapters/inbound/graphql/resolvers.js';
import { PRODUCT_PAGE_QUERY } from './product-page.bench.js';

const seconds = Number(process.argv[2] ?? 5);
const tree = resolve(process.argv[3] ?? fileURLToPath(new URL('../..', import.meta.url)));
const fromTree = createRequire(join(tree, 'subgraphs/product/package.json'));
const { buildSubgraphSchema } = fromTree('@apollo/subgraph') as typeof Subgraph;
const { parse } = fromTree('graphql') as typeof GraphQL;
const { compileQuery, isCompiledQuery } = fromTree('graphql-jit') as typeof Jit;
const { productResolvers } = (await import(
  pathToFileURL(join(tree, 'subgraphs/product/src/adapters/inbound/graphql/resolvers.ts')).href
)) as typeof ProductGraphQL;

const newest = Date.UTC(2026, 10, 30, 9, 0, 0, 123);
const listProducts = {
  execute: () =>
    Promise.resolve({
      items: Array.from({ length: 20 }, (_, i) => ({
        id: `6f1c1d3e-8a57-4f7e-9a5e-${String(i).padStart(12, '0')}`,
        sellerId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        title: `Used item no. ${i}`,
        description: 'Gently used',
        priceKrw: 10_000 + i * 100,
        imageUrl: i % 3 ? `https://images.example/${i}.jpg` : null,
        status: 'ON_SALE',
        registeredAt: new Date(newest - i * 60_007),
      })),
      hasNextPage: true,
    }),
};
const schema = buildSubgraphSchema({
  typeDefs: parse(readFileSync(join(tree, 'subgraphs/product/schema.graphql'), 'utf8')),
  resolvers: productResolvers({ listProducts } as never) as never,
});
const query = compileQuery(schema, parse(PRODUCT_PAGE_QUERY), 'Page');
if (!isCompiledQuery(query)) throw new Error(`not compiled: ${JSON.stringify(query)}`);
const answer = JSON.stringify(await query.query(undefined, {}, {}));
if (answer.includes('"errors"')) throw new Error(answer);
for (let i = 0; i < 5_000; i++) await query.query(undefined, {}, {});
let pages = 0;
const cpu = process.cpuUsage();
const began = performance.now();
while (performance.now() - began < seconds * 1000) {
  for (let i = 0; i < 200; i++) await query.query(undefined, {}, {});
  pages += 200;
}
const used = process.cpuUsage(cpu);
console.log(
  `${tree}: ${((used.user + used.system) / pages).toFixed(1)} CPU µs per page (${pages} pages), answer sha256 ${createHash('sha256').update(answer).digest('hex').slice(0, 16)}`,
);
