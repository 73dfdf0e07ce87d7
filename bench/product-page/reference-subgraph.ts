/**
 * The product subgraph's own schema and resolvers over another catalog (BENCH_CATALOG): the
 * plain-SQL baseline, or the ORM catalog as it was before. Same HTTP server, same GraphQL layer,
 * only the data access differs.
 */
import { createJwksTokenVerifier, RevocationList } from '@gaji/platform/auth';
import { loadConfig } from '@gaji/platform/config';
import { startSubgraphServer } from '@gaji/platform/graphql';
import { createLogger } from '@gaji/platform/logging';
import { productConfigSchema, productTypeDefs } from '@gaji/product';
import pg from 'pg';
import { productResolvers } from '../../subgraphs/product/src/adapters/inbound/graphql/resolvers.js';
import { FindProducts } from '../../subgraphs/product/src/application/find-products/find-products.query.js';
import { ListProducts } from '../../subgraphs/product/src/application/list-products/list-products.query.js';
import { announceReady } from '../support/service-process.js';
import { createProductDb } from '../../subgraphs/product/src/adapters/outbound/prisma/product-database.js';
import { OrmBeforeProductCatalog } from './orm-before-catalog.js';
import { PlainSqlProductCatalog } from './plain-sql-catalog.js';

const config = loadConfig(productConfigSchema, { ...process.env, PORT: '0' });
const pool = new pg.Pool({ connectionString: config.PRODUCT_DATABASE_URL, max: 10 });
const catalog =
  process.env.BENCH_CATALOG === 'orm-before'
    ? new OrmBeforeProductCatalog(
        createProductDb(config.PRODUCT_DATABASE_URL, createLogger('product', 'silent')),
      )
    : new PlainSqlProductCatalog(pool);
const refuse = { execute: () => Promise.reject(new Error('read-only baseline')) } as never;
const server = await startSubgraphServer({
  name: `product-${process.env.BENCH_CATALOG}`,
  host: config.HOST,
  port: 0,
  logger: createLogger('product-plain-sql', config.LOG_LEVEL),
  typeDefs: productTypeDefs,
  resolvers: productResolvers({
    findProducts: new FindProducts(catalog),
    listProducts: new ListProducts(catalog),
    registerProduct: refuse,
    deleteProduct: refuse,
  }) as never,
  verifyToken: createJwksTokenVerifier(config),
  // A read-only baseline: no event stream, nothing to revoke.
  revocations: new RevocationList(config.ACCESS_TOKEN_MAX_LIFETIME_SECONDS * 1000),
  readiness: {},
  production: true,
});
process.once(
  'SIGTERM',
  () =>
    void server
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
announceReady({ url: server.url });
