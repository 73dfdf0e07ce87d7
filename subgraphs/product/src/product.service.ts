import { randomUUID } from 'node:crypto';
import { createServiceTokenVerifier } from '@gaji/platform/auth';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { contextFiles, startContext, type RunningContext } from '@gaji/platform/runtime';
import { DeleteProduct } from './application/delete-product/delete-product.use-case.js';
import { FindProducts } from './application/find-products/find-products.query.js';
import { ListProducts } from './application/list-products/list-products.query.js';
import { MarkSoldOnPaymentCompleted } from './application/mark-sold-on-payment-completed/mark-sold-on-payment-completed.policy.js';
import { RecordFailureOnPurchaseFailed } from './application/record-failure-on-purchase-failed/record-failure-on-purchase-failed.policy.js';
import { PutBackOnSaleOnPaymentCancelled } from './application/put-back-on-sale-on-payment-cancelled/put-back-on-sale-on-payment-cancelled.policy.js';
import { RegisterProduct } from './application/register-product/register-product.use-case.js';
import { RemoveLateListingOnProductRegistered } from './application/remove-late-listing-on-product-registered/remove-late-listing-on-product-registered.policy.js';
import { RemoveProductsOnMemberWithdrawn } from './application/remove-products-on-member-withdrawn/remove-products-on-member-withdrawn.policy.js';
import { productEventHandlers } from './adapters/inbound/events/product-event-handlers.js';
import { productResolvers } from './adapters/inbound/graphql/resolvers.js';
import { mountInternalProducts } from './adapters/inbound/http/internal-products.route.js';
import { PrismaProductCatalog } from './adapters/outbound/prisma/prisma-product.catalog.js';
import { PrismaProductRepository } from './adapters/outbound/prisma/prisma-product.repository.js';
import { PrismaWithdrawnSellers } from './adapters/outbound/prisma/prisma-withdrawn-sellers.js';
import { createProductDb } from './adapters/outbound/prisma/product-database.js';
import type { ProductConfig } from './config.js';

const files = contextFiles('product', import.meta.url);
export const productTypeDefs = files.typeDefs;

export type ProductService = RunningContext;

/** Wires the product context: database, event platform, policies, use cases and GraphQL over HTTP. */
export function startProductService(
  config: ProductConfig,
  logger: Logger = createLogger('product', config.LOG_LEVEL),
): Promise<ProductService> {
  const { PRODUCT_DATABASE_URL: databaseUrl } = config;
  const db = createProductDb(databaseUrl, logger);
  return startContext({ context: 'product', files, databaseUrl, db, config, logger }, async (runtime) => {
    const { transactions, outbox, uow, clock } = runtime;
    const products = new PrismaProductRepository(transactions, outbox);
    const catalog = new PrismaProductCatalog(db);
    const withdrawnSellers = new PrismaWithdrawnSellers(transactions);
    const commands = { products, uow, clock };
    const paymentFacts = { ...commands, withdrawnSellers };
    const findProducts = new FindProducts(catalog);

    await runtime.consume(
      productEventHandlers(
        {
          markSoldOnPaymentCompleted: new MarkSoldOnPaymentCompleted(paymentFacts),
          putBackOnSaleOnPaymentCancelled: new PutBackOnSaleOnPaymentCancelled(paymentFacts),
          recordFailureOnPurchaseFailed: new RecordFailureOnPurchaseFailed(paymentFacts),
          removeProductsOnMemberWithdrawn: new RemoveProductsOnMemberWithdrawn({
            ...commands,
            withdrawnSellers,
            clockMarginMs: config.WITHDRAWAL_CLOCK_MARGIN_MS,
          }),
          removeLateListingOnProductRegistered: new RemoveLateListingOnProductRegistered({
            ...commands,
            withdrawnSellers,
          }),
        },
        logger,
      ),
    );

    await runtime.serve({
      resolvers: productResolvers({
        registerProduct: new RegisterProduct({ ...commands, withdrawnSellers, newId: randomUUID }),
        deleteProduct: new DeleteProduct(commands),
        findProducts,
        listProducts: new ListProducts(catalog),
      }),
      routes: (app) =>
        mountInternalProducts(app, {
          findProducts,
          // Only purchase may ask, signing each call with its own key (never a member's token).
          verifyService: createServiceTokenVerifier({
            audience: 'product',
            trusted: config.TRUSTED_SERVICE_KEYS,
            callers: ['purchase'],
          }),
          logger,
        }),
    });
    return {};
  });
}
