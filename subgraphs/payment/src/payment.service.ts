import { randomUUID } from 'node:crypto';
import { createJwksTokenVerifier, createServiceTokenVerifier } from '@gaji/platform/auth';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { contextFiles, startContext, type RunningContext } from '@gaji/platform/runtime';
import { AuthorizePayment } from './application/authorize-payment/authorize-payment.use-case.js';
import { FindPayments } from './application/find-payments/find-payments.query.js';
import { RefundCancelledPurchase } from './application/refund-cancelled-purchase/refund-cancelled-purchase.use-case.js';
import { RefundPaymentOnPurchaseCancelled } from './application/refund-payment-on-purchase-cancelled/refund-payment-on-purchase-cancelled.policy.js';
import { VoidOrRefundOnPurchaseFailed } from './application/void-or-refund-on-purchase-failed/void-or-refund-on-purchase-failed.policy.js';
import { paymentEventHandlers } from './adapters/inbound/events/payment-event-handlers.js';
import { paymentResolvers } from './adapters/inbound/graphql/resolvers.js';
import { mountInternalPayments } from './adapters/inbound/http/internal-payments.route.js';
import { createPaymentDb } from './adapters/outbound/prisma/payment-database.js';
import { PrismaChargeAttempts } from './adapters/outbound/prisma/prisma-charge-attempts.js';
import { PrismaPaymentRepository } from './adapters/outbound/prisma/prisma-payment.repository.js';
import { PostgresProviderLedger } from './adapters/outbound/provider/provider-ledger.js';
import { SimulatedPaymentProvider } from './adapters/outbound/provider/simulated-payment.provider.js';
import { SettlePendingCharges } from './application/settle-pending-charges/settle-pending-charges.use-case.js';
import type { PaymentConfig } from './config.js';
import { reconcileEveryMs } from './reconcile-settings.js';

const files = contextFiles('payment', import.meta.url);
export const paymentTypeDefs = files.typeDefs;

export interface PaymentServiceOptions {
  /** A provider the caller controls (tests flip its outage flag or failure rate at run time). */
  provider?: SimulatedPaymentProvider;
}

export interface PaymentService extends RunningContext {
  /** Base of the internal HTTP API (`POST /internal/payments`), e.g. http://127.0.0.1:4004. */
  internalUrl: string;
  provider: SimulatedPaymentProvider;
  /** Settles charge attempts left PENDING (it also runs by itself every third of its threshold). */
  reconciler: SettlePendingCharges;
}

/** Wires the payment context: database, event platform, use cases, GraphQL, the internal API, the policies. */
export function startPaymentService(
  config: PaymentConfig,
  logger: Logger = createLogger('payment', config.LOG_LEVEL),
  options: PaymentServiceOptions = {},
): Promise<PaymentService> {
  const { PAYMENT_DATABASE_URL: databaseUrl } = config;
  const db = createPaymentDb(databaseUrl);
  return startContext({ context: 'payment', files, databaseUrl, db, config, logger }, async (runtime) => {
    const { transactions, outbox, clock, lifecycle } = runtime;
    const provider =
      options.provider ??
      new SimulatedPaymentProvider({
        latencyMs: config.PAYMENT_PROVIDER_LATENCY_MS,
        failureRate: config.PAYMENT_PROVIDER_FAILURE_RATE,
      });
    // The simulated provider's books live in payment's database (their own table), so they
    // survive a restart and the consistency auditor can compare them with the payments.
    provider.keepBooksIn(new PostgresProviderLedger(db));
    const payments = new PrismaPaymentRepository(transactions, outbox);
    const attempts = new PrismaChargeAttempts(transactions, db, outbox);
    const authorizePayment = new AuthorizePayment({
      ...{ payments, attempts, provider, clock },
      newId: randomUUID,
      chargeTimeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
    });
    const findPayments = new FindPayments(payments);
    const verifyToken = createJwksTokenVerifier(config, logger);

    const server = await runtime.serve({
      resolvers: paymentResolvers({ findPayments }),
      verifyToken,
      routes: (app) =>
        mountInternalPayments(app, {
          authorizePayment,
          findPayments,
          refundCancelledPurchase: new RefundCancelledPurchase({ payments, provider, clock }),
          // Only purchase may charge or refund: it signs each call with its own key (never a member's token).
          verifyService: createServiceTokenVerifier({
            audience: 'payment',
            trusted: config.TRUSTED_SERVICE_KEYS,
            callers: ['purchase'],
          }),
          logger,
        }),
    });

    await runtime.consume(
      paymentEventHandlers({
        refundOnPurchaseCancelled: new RefundPaymentOnPurchaseCancelled({ payments, provider, clock }),
        voidOrRefundOnPurchaseFailed: new VoidOrRefundOnPurchaseFailed({
          payments,
          provider,
          clock,
          newId: randomUUID,
        }),
      }),
      // Both handlers ask the provider to give money back: one event per transaction, so no
      // transaction holds its locks across several such calls or makes them all again on a rollback.
      { shareTransactions: false },
    );

    const reconciler = new SettlePendingCharges({
      ...{ attempts, payments, provider, clock },
      newId: randomUUID,
      olderThanMs: config.PAYMENT_RECONCILE_AFTER_MS,
    });
    const reconcile = setInterval(() => {
      reconciler
        .execute()
        .then((settled) => settled > 0 && logger.info({ settled }, 'settled pending charge attempts'))
        .catch((error: unknown) => logger.warn({ err: error }, 'charge reconciliation failed'));
    }, reconcileEveryMs(config.PAYMENT_RECONCILE_AFTER_MS));
    reconcile.unref();
    lifecycle.onStop('charge reconciler', () => clearInterval(reconcile));
    return { internalUrl: server.url.replace(/\/graphql$/, ''), provider, reconciler };
  });
}
