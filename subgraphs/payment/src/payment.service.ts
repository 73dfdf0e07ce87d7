import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createJwksTokenVerifier,
  createLogger,
  startContextRuntime,
  startSubgraphServer,
  type Lifecycle,
  type Logger,
} from '@gaji/platform';
import { parse } from 'graphql';
import { AuthorizePayment } from './application/authorize-payment/authorize-payment.use-case.js';
import { FindPayments } from './application/find-payments/find-payments.query.js';
import { RefundPaymentOnPurchaseCancelled } from './application/refund-payment-on-purchase-cancelled/refund-payment-on-purchase-cancelled.policy.js';
import { VoidOrRefundOnPurchaseFailed } from './application/void-or-refund-on-purchase-failed/void-or-refund-on-purchase-failed.policy.js';
import { paymentEventHandlers } from './adapters/inbound/events/payment-event-handlers.js';
import { paymentResolvers } from './adapters/inbound/graphql/resolvers.js';
import { mountInternalPayments } from './adapters/inbound/http/internal-payments.route.js';
import { createPaymentDb } from './adapters/outbound/prisma/payment-database.js';
import { PrismaPaymentRepository } from './adapters/outbound/prisma/prisma-payment.repository.js';
import { SimulatedPaymentProvider } from './adapters/outbound/provider/simulated-payment.provider.js';
import type { PaymentConfig } from './config.js';

export const paymentTypeDefs = parse(
  readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'),
);
const migrations = {
  namespace: 'payment',
  directory: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
};

export interface PaymentServiceOptions {
  /** A provider the caller controls (tests flip its outage flag or failure rate at run time). */
  provider?: SimulatedPaymentProvider;
}

export interface PaymentService {
  url: string;
  /** Base of the internal HTTP API (`POST /internal/payments`), e.g. http://127.0.0.1:4004. */
  internalUrl: string;
  provider: SimulatedPaymentProvider;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

/** Wires the payment context: database, event platform, use cases, GraphQL, the internal API, the policies. */
export async function startPaymentService(
  config: PaymentConfig,
  logger: Logger = createLogger('payment', config.LOG_LEVEL),
  options: PaymentServiceOptions = {},
): Promise<PaymentService> {
  const db = createPaymentDb(config.PAYMENT_DATABASE_URL);
  const runtime = await startContextRuntime({
    context: 'payment',
    databaseUrl: config.PAYMENT_DATABASE_URL,
    db,
    migrations,
    config,
    logger,
  });
  try {
    const { transactions, outbox } = runtime;
    const provider =
      options.provider ??
      new SimulatedPaymentProvider({
        latencyMs: config.PAYMENT_PROVIDER_LATENCY_MS,
        failureRate: config.PAYMENT_PROVIDER_FAILURE_RATE,
      });
    const payments = new PrismaPaymentRepository(transactions, outbox);
    const uow = { run: <T>(work: () => Promise<T>) => transactions.run(() => work()) };
    const clock = { now: () => new Date() };
    const authorizePayment = new AuthorizePayment({ payments, provider, uow, clock, newId: randomUUID });
    const findPayments = new FindPayments(payments);
    const verifyToken = createJwksTokenVerifier(config);

    const server = await startSubgraphServer({
      name: 'payment',
      host: config.HOST,
      port: config.PORT,
      logger,
      typeDefs: paymentTypeDefs,
      resolvers: paymentResolvers({ findPayments }),
      verifyToken,
      readiness: runtime.readiness,
      production: config.NODE_ENV === 'production',
      routes: (app) => mountInternalPayments(app, { authorizePayment, findPayments, verifyToken, logger }),
    });
    runtime.lifecycle.onStop('http', () => server.close());

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
    );
    return {
      url: server.url,
      internalUrl: server.url.replace(/\/graphql$/, ''),
      provider,
      lifecycle: runtime.lifecycle,
      stop: () => runtime.lifecycle.stop(),
    };
  } catch (error) {
    await runtime.lifecycle.stop();
    throw error;
  }
}
