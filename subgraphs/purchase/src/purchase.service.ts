import { randomUUID } from 'node:crypto';
import { createServiceTokenSigner } from '@gaji/platform/auth';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { contextFiles, startContext, type RunningContext } from '@gaji/platform/runtime';
import { BuyAdmission } from './application/buy-product/buy-admission.js';
import { BuyProduct } from './application/buy-product/buy-product.use-case.js';
import { ProjectionFirstProducts } from './application/buy-product/projection-first-products.js';
import { CancelOnProductSaleRejected } from './application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import { CancelPurchase } from './application/cancel-purchase/cancel-purchase.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from './application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { FailAbandonedPurchases } from './application/fail-abandoned-purchases/fail-abandoned-purchases.use-case.js';
import { FindPurchases } from './application/find-purchases/find-purchases.query.js';
import { MarkProductDeletedOnProductDeleted } from './application/mark-product-deleted-on-product-deleted/mark-product-deleted-on-product-deleted.policy.js';
import { ProjectProductOnProductRegistered } from './application/project-product-on-product-registered/project-product-on-product-registered.policy.js';
import { WithdrawBuysOnMemberWithdrawn } from './application/withdraw-buys-on-member-withdrawn/withdraw-buys-on-member-withdrawn.policy.js';
import { purchaseEventHandlers } from './adapters/inbound/events/purchase-event-handlers.js';
import { purchaseResolvers } from './adapters/inbound/graphql/resolvers.js';
import { HttpPaymentGateway } from './adapters/outbound/payment/http-payment-gateway.js';
import { PrismaProductProjection } from './adapters/outbound/prisma/prisma-product-projection.js';
import { HttpProductSource } from './adapters/outbound/product/http-product-source.js';
import { PrismaPurchaseRepository } from './adapters/outbound/prisma/prisma-purchase.repository.js';
import { PrismaWithdrawnBuyers } from './adapters/outbound/prisma/prisma-withdrawn-buyers.js';
import { createPurchaseDb } from './adapters/outbound/prisma/purchase-database.js';
import type { PurchaseConfig } from './config.js';
import { sweepEveryMs } from './sweep-settings.js';

const files = contextFiles('purchase', import.meta.url);
export const purchaseTypeDefs = files.typeDefs;

export interface PurchaseService extends RunningContext {
  payments: HttpPaymentGateway;
}

/** Wires the purchase context: database, event platform, product projection, payment call, GraphQL. */
export function startPurchaseService(
  config: PurchaseConfig,
  logger: Logger = createLogger('purchase', config.LOG_LEVEL),
): Promise<PurchaseService> {
  const { PURCHASE_DATABASE_URL: databaseUrl } = config;
  const db = createPurchaseDb(databaseUrl);
  return startContext({ context: 'purchase', files, databaseUrl, db, config, logger }, async (runtime) => {
    const { transactions, outbox, lifecycle, uow, clock } = runtime;
    const purchases = new PrismaPurchaseRepository(transactions, outbox);
    const products = new PrismaProductProjection(transactions);
    const signRequest = createServiceTokenSigner(config.SERVICE_SIGNING_KEY);
    const payments = new HttpPaymentGateway({
      baseUrl: config.PAYMENT_INTERNAL_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      failuresToOpen: config.PAYMENT_BREAKER_FAILURES,
      halfOpenAfterMs: config.PAYMENT_BREAKER_HALF_OPEN_AFTER_MS,
      signRequest,
      logger,
      metrics: runtime.metrics,
    });
    const productSource = new HttpProductSource({
      baseUrl: config.PRODUCT_INTERNAL_URL,
      timeoutMs: config.PRODUCT_LOOKUP_TIMEOUT_MS,
      failuresToOpen: config.PRODUCT_LOOKUP_BREAKER_FAILURES,
      halfOpenAfterMs: config.PRODUCT_LOOKUP_BREAKER_HALF_OPEN_AFTER_MS,
      signRequest,
      logger,
      metrics: runtime.metrics,
    });

    const decisions = { purchases, uow, clock };
    await runtime.consume(
      purchaseEventHandlers({
        projectProductOnProductRegistered: new ProjectProductOnProductRegistered(products),
        markProductDeletedOnProductDeleted: new MarkProductDeletedOnProductDeleted(products),
        confirmPaidOnPaymentCompleted: new ConfirmPaidOnPaymentCompleted(decisions),
        cancelOnProductSaleRejected: new CancelOnProductSaleRejected(decisions),
        withdrawBuysOnMemberWithdrawn: new WithdrawBuysOnMemberWithdrawn({
          ...decisions,
          withdrawnBuyers: new PrismaWithdrawnBuyers(transactions),
          clockMarginMs: config.WITHDRAWAL_CLOCK_MARGIN_MS,
        }),
      }),
    );

    const sweeper = new FailAbandonedPurchases({
      ...decisions,
      maxPendingMs: config.PENDING_PURCHASE_MAX_AGE_MS,
    });
    const sweep = setInterval(() => {
      sweeper
        .execute()
        .catch((error: unknown) => logger.warn({ err: error }, 'abandoned-purchase sweep failed'));
    }, sweepEveryMs(config.PENDING_PURCHASE_MAX_AGE_MS));
    sweep.unref();
    lifecycle.onStop('abandoned-purchase sweeper', () => clearInterval(sweep));

    const buyAdmission = new BuyAdmission(
      new BuyProduct({
        ...decisions,
        products: new ProjectionFirstProducts(products, productSource),
        payments,
        newId: randomUUID,
      }),
      {
        maxInFlight: config.BUY_MAX_IN_FLIGHT,
        minInFlight: Math.min(config.BUY_MIN_IN_FLIGHT, config.BUY_MAX_IN_FLIGHT),
        latencyTargetMs: config.BUY_LATENCY_TARGET_MS,
        maxWaitMs: config.BUY_MAX_WAIT_MS,
        retryAfterSeconds: 1,
      },
    );
    runtime.metrics.observeAdmission('buy', () => buyAdmission.reading);
    await runtime.serve({
      resolvers: purchaseResolvers({
        buyProduct: buyAdmission,
        cancelPurchase: new CancelPurchase({ ...decisions, payments }),
        findPurchases: new FindPurchases(purchases),
      }),
    });
    return { payments };
  });
}
