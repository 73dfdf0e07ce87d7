import { randomUUID } from 'node:crypto';
import {
  contextFiles,
  createLogger,
  startContext,
  type Lifecycle,
  type Logger,
  createServiceTokenSigner,
} from '@gaji/platform';
import { BuyAdmission } from './application/buy-product/buy-admission.js';
import { BuyProduct } from './application/buy-product/buy-product.use-case.js';
import { CancelOnProductSaleRejected } from './application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import { CancelPurchase } from './application/cancel-purchase/cancel-purchase.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from './application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { FailAbandonedPurchases } from './application/fail-abandoned-purchases/fail-abandoned-purchases.use-case.js';
import { ProjectProducts } from './application/project-products/project-products.policy.js';
import { purchasePolicies } from './adapters/inbound/events/purchase-policies.js';
import { purchaseResolvers } from './adapters/inbound/graphql/resolvers.js';
import { HttpPaymentGateway } from './adapters/outbound/payment/http-payment-gateway.js';
import { PrismaProductProjection } from './adapters/outbound/prisma/prisma-product-projection.js';
import { PrismaPurchaseRepository } from './adapters/outbound/prisma/prisma-purchase.repository.js';
import { createPurchaseDb } from './adapters/outbound/prisma/purchase-database.js';
import type { PurchaseConfig } from './config.js';

const { typeDefs, migrations } = contextFiles('purchase', import.meta.url);
export const purchaseTypeDefs = typeDefs;

export interface PurchaseService {
  url: string;
  payments: HttpPaymentGateway;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

/** Wires the purchase context: database, event platform, product projection, payment call, GraphQL. */
export async function startPurchaseService(
  config: PurchaseConfig,
  logger: Logger = createLogger('purchase', config.LOG_LEVEL),
): Promise<PurchaseService> {
  const db = createPurchaseDb(config.PURCHASE_DATABASE_URL);
  const context = {
    context: 'purchase',
    databaseUrl: config.PURCHASE_DATABASE_URL,
    db,
    migrations,
    config,
    logger,
  };
  return startContext(context, async (runtime) => {
    const { transactions, outbox, lifecycle, uow, clock } = runtime;
    const purchases = new PrismaPurchaseRepository(transactions, outbox);
    const products = new PrismaProductProjection(transactions);
    const payments = new HttpPaymentGateway({
      baseUrl: config.PAYMENT_INTERNAL_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      failuresToOpen: config.PAYMENT_BREAKER_FAILURES,
      halfOpenAfterMs: config.PAYMENT_BREAKER_HALF_OPEN_AFTER_MS,
      signRequest: createServiceTokenSigner(config.SERVICE_SIGNING_KEY),
      logger,
    });

    await runtime.consume(
      purchasePolicies({
        projectProducts: new ProjectProducts(products),
        confirmPaid: new ConfirmPaidOnPaymentCompleted({ purchases, uow, clock }),
        cancelOnSaleRejected: new CancelOnProductSaleRejected({ purchases, uow, clock }),
      }),
    );

    const sweeper = new FailAbandonedPurchases({
      purchases,
      uow,
      clock,
      maxPendingMs: config.PENDING_PURCHASE_MAX_AGE_MS,
    });
    const sweep = setInterval(
      () => {
        sweeper
          .execute()
          .catch((error: unknown) => logger.warn({ err: error }, 'abandoned-purchase sweep failed'));
      },
      Math.max(1_000, Math.floor(config.PENDING_PURCHASE_MAX_AGE_MS / 3)),
    );
    sweep.unref();
    lifecycle.onStop('abandoned-purchase sweeper', () => clearInterval(sweep));

    const server = await runtime.serve({
      typeDefs,
      resolvers: purchaseResolvers({
        buyProduct: new BuyAdmission(
          new BuyProduct({ purchases, products, payments, uow, clock, newId: randomUUID }),
          {
            inFlight: config.BUY_MAX_IN_FLIGHT,
            waiting: config.BUY_MAX_WAITING,
            retryAfterSeconds: 1,
          },
        ),
        cancelPurchase: new CancelPurchase({ purchases, uow, clock }),
        queries: purchases,
      }),
    });
    return { url: server.url, payments, lifecycle, stop: () => lifecycle.stop() };
  });
}
