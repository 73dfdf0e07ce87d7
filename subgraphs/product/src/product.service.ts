import { randomUUID } from 'node:crypto';
import { contextFiles, createLogger, startContext, type Lifecycle, type Logger } from '@gaji/platform';
import { DeleteProduct } from './application/delete-product/delete-product.use-case.js';
import { FindProducts } from './application/find-products/find-products.query.js';
import { ListProducts } from './application/list-products/list-products.query.js';
import { MarkProductSold } from './application/mark-product-sold/mark-product-sold.use-case.js';
import { PutProductBackOnSale } from './application/put-product-back-on-sale/put-product-back-on-sale.use-case.js';
import { RegisterProduct } from './application/register-product/register-product.use-case.js';
import { RemoveWithdrawnSellersProducts } from './application/remove-withdrawn-sellers-products/remove-withdrawn-sellers-products.use-case.js';
import { markSoldOnPaymentCompleted } from './adapters/inbound/events/mark-sold-on-payment-completed.policy.js';
import { putBackOnSaleOnPaymentCancelled } from './adapters/inbound/events/put-back-on-sale-on-payment-cancelled.policy.js';
import { removeProductsOnMemberWithdrawn } from './adapters/inbound/events/remove-products-on-member-withdrawn.policy.js';
import { productResolvers } from './adapters/inbound/graphql/resolvers.js';
import { PrismaProductCatalog } from './adapters/outbound/prisma/prisma-product.catalog.js';
import { PrismaProductRepository } from './adapters/outbound/prisma/prisma-product.repository.js';
import { createProductDb } from './adapters/outbound/prisma/product-database.js';
import type { ProductConfig } from './config.js';

const { typeDefs, migrations } = contextFiles('product', import.meta.url);
export const productTypeDefs = typeDefs;

export interface ProductService {
  url: string;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

/** Wires the product context: database, event platform, policies, use cases and GraphQL over HTTP. */
export async function startProductService(
  config: ProductConfig,
  logger: Logger = createLogger('product', config.LOG_LEVEL),
): Promise<ProductService> {
  const db = createProductDb(config.PRODUCT_DATABASE_URL, logger);
  const context = {
    context: 'product',
    databaseUrl: config.PRODUCT_DATABASE_URL,
    db,
    migrations,
    config,
    logger,
  };
  return startContext(context, async (runtime) => {
    const { transactions, outbox, uow, clock } = runtime;
    const products = new PrismaProductRepository(transactions, outbox);
    const catalog = new PrismaProductCatalog(db);
    const commands = { products, uow, clock };

    await runtime.consume({
      PaymentCompleted: markSoldOnPaymentCompleted(new MarkProductSold(commands), logger),
      PaymentCancelled: putBackOnSaleOnPaymentCancelled(new PutProductBackOnSale(commands), logger),
      MemberWithdrawn: removeProductsOnMemberWithdrawn(new RemoveWithdrawnSellersProducts(commands), logger),
    });

    const server = await runtime.serve({
      typeDefs,
      resolvers: productResolvers({
        registerProduct: new RegisterProduct({ ...commands, newId: randomUUID }),
        deleteProduct: new DeleteProduct(commands),
        findProducts: new FindProducts(catalog),
        listProducts: new ListProducts(catalog),
      }),
    });
    return { url: server.url, lifecycle: runtime.lifecycle, stop: () => runtime.lifecycle.stop() };
  });
}
