import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { subjectFor, type EventEnvelope, type EventPayload, type EventType } from '@gaji/contracts';
import { loadConfig } from '@gaji/platform/config';
import { connectEventBus, type EventBus } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import {
  createTestDatabase,
  createTestStream,
  eventually,
  graphql,
  bearer,
  TestTokenIssuer,
  type TestDatabase,
  type TestStream,
} from '@gaji/testkit';
import pg from 'pg';
import { expect } from 'vitest';
import { productConfigSchema } from '../../src/config.js';
import { startProductService, type ProductService } from '../../src/product.service.js';

/**
 * The product service started in-process on a fresh database and a fresh stream, with a token
 * issuer standing in for the member service. `sqlLog` holds every SQL statement it sent.
 */
export interface ProductRig {
  service: ProductService;
  db: TestDatabase;
  stream: TestStream;
  bus: EventBus;
  issuer: TestTokenIssuer;
  sqlLog: string[];
  /** A GraphQL call over HTTP, signed in as `memberId` when given. */
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    memberId?: string,
  ): ReturnType<typeof graphql<T>>;
  /** Publishes an event to the stream as its producer's relay would (msgID = event id); returns its stream sequence. */
  publish<T extends EventType>(
    envelope: EventEnvelope & { type: T; payload: EventPayload<T> },
  ): Promise<number>;
  sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Waits until the outbox is relayed and the durable consumer has settled every message in the stream. */
  settled(): Promise<void>;
  /** Stops the service (its durable consumer stays on the stream) until `startService`. */
  stopService(): Promise<void>;
  /** Starts a fresh instance on the same database and stream, as a restarted replica would. */
  startService(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startProductRig(label: string): Promise<ProductRig> {
  const db = await createTestDatabase(label);
  const stream = createTestStream(label);
  const issuer = await TestTokenIssuer.start();
  const sqlLog: string[] = [];
  // Trace level: the database adapter logs each statement there; nothing reaches the console.
  const logger = createLogger(
    'product',
    'trace',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = JSON.parse(chunk.toString()) as { msg?: string; sql?: string };
        if (line.msg === 'sql' && line.sql) sqlLog.push(line.sql);
        done();
      },
    }),
  );
  const config = loadConfig(productConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    PRODUCT_DATABASE_URL: db.url,
    NATS_URL: stream.natsUrl,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    MEMBER_JWKS_URL: issuer.jwksUrl,
    // Every SQL statement is logged here, on a loaded test machine: room for a slow relay pass, so
    // the answer-after-events test is about order, not speed (the relay tests cover the deadline).
    ANSWER_AFTER_EVENTS_MS: '2000',
  });
  let service: ProductService | undefined = await startProductService(config, logger);
  const bus = await connectEventBus({
    natsUrl: stream.natsUrl,
    stream: stream.stream,
    subjectPrefix: stream.subjectPrefix,
    name: `test-${label}`,
  });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const rig: ProductRig = {
    get service() {
      if (!service) throw new Error('the product service is stopped');
      return service;
    },
    db,
    stream,
    bus,
    issuer,
    sqlLog,
    call: async (query, variables = {}, memberId) =>
      graphql(rig.service.url, query, variables, memberId ? bearer(await issuer.sign(memberId)) : {}),
    publish: async (envelope) =>
      (
        await bus.js.publish(subjectFor(stream.subjectPrefix, envelope.type), JSON.stringify(envelope), {
          msgID: envelope.id,
        })
      ).seq,
    sql: async (text, values) => (await pool.query(text, values)).rows,
    async settled() {
      await eventually(async () => {
        const [outbox] = await rig.sql<{ n: string }>(
          'SELECT count(*) AS n FROM gaji_outbox WHERE published_at IS NULL',
        );
        const info = await bus.jsm.consumers.info(stream.stream, 'product');
        expect({
          unpublished: Number(outbox?.n),
          pending: info.num_pending,
          unacked: info.num_ack_pending,
        }).toEqual({ unpublished: 0, pending: 0, unacked: 0 });
      });
    },
    async stopService() {
      await service?.stop();
      service = undefined;
    },
    async startService() {
      service ??= await startProductService(config, logger);
    },
    async dispose() {
      await service?.stop();
      await bus.close();
      await pool.end();
      await issuer.stop();
      await stream.remove();
      await db.drop();
    },
  };
  return rig;
}

/** Object mother: an event envelope as its producer would publish it. */
export function anEnvelope<T extends EventType>(
  type: T,
  aggregateType: string,
  aggregateId: string,
  payload: EventPayload<T>,
  correlationId = aggregateId,
): EventEnvelope & { type: T; payload: EventPayload<T> } {
  return {
    id: randomUUID(),
    type,
    version: 1,
    aggregateType,
    aggregateId,
    occurredAt: new Date().toISOString(),
    correlationId,
    causationId: randomUUID(),
    payload,
  };
}

/** A payment fact about a product, correlated (as in the purchase flow) by the purchase id. */
export function aPaymentEvent(
  type: 'PaymentCompleted' | 'PaymentCancelled',
  product: { id: string; sellerId: string },
  purchaseId: string = randomUUID(),
): EventEnvelope & { type: typeof type; payload: EventPayload<'PaymentCompleted'> } {
  const paymentId = randomUUID();
  const payload = {
    paymentId,
    purchaseId,
    productId: product.id,
    buyerId: randomUUID(),
    sellerId: product.sellerId,
    amountKrw: 120_000,
  };
  return anEnvelope<typeof type>(type, 'Payment', paymentId, payload, purchaseId);
}

/** Purchase gave up on a purchase of this product (its payment timed out, was declined…). */
export function aPurchaseFailed(product: { id: string; sellerId: string }, purchaseId: string) {
  return anEnvelope(
    'PurchaseFailed',
    'Purchase',
    purchaseId,
    {
      purchaseId,
      productId: product.id,
      buyerId: randomUUID(),
      sellerId: product.sellerId,
      reason: 'PAYMENT_UNAVAILABLE',
    },
    purchaseId,
  );
}

export function aMemberWithdrawn(memberId: string) {
  return anEnvelope('MemberWithdrawn', 'Member', memberId, { memberId });
}

export const REGISTER = `mutation Register($input: RegisterProductInput!) {
  registerProduct(input: $input) { id title description priceKrw imageUrl status registeredAt seller { id } }
}`;

export interface RegisteredProduct {
  id: string;
  title: string;
  description: string;
  priceKrw: number;
  imageUrl: string | null;
  status: string;
  registeredAt: string;
  seller: { id: string };
}

/** Registers a product through the API and returns it (throws on any error). */
export async function registerVia(
  rig: ProductRig,
  sellerId: string,
  input: Record<string, unknown> = {},
): Promise<RegisteredProduct & { sellerId: string }> {
  const response = await rig.call<{ registerProduct: RegisteredProduct }>(
    REGISTER,
    { input: { title: 'Gaji bicycle', description: 'Barely ridden.', priceKrw: 120_000, ...input } },
    sellerId,
  );
  if (!response.data?.registerProduct) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  return { ...response.data.registerProduct, sellerId };
}
