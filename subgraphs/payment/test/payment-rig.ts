import { randomUUID } from 'node:crypto';
import {
  paymentAuthorization,
  paymentLookup,
  paymentRefund,
  paymentRefusals,
  refusalBody,
  subjectFor,
  type EventEnvelope,
  type PaymentRefusalCode,
} from '@gaji/contracts';
import type { z } from 'zod';
import { createServiceTokenSigner, generateServiceKeys, type ServiceTokenSigner } from '@gaji/platform/auth';
import { loadConfig } from '@gaji/platform/config';
import { connectEventBus, type EventBus } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import {
  createTestDatabase,
  createTestStream,
  eventually,
  readStream,
  TestTokenIssuer,
  type TestDatabase,
  type TestStream,
} from '@gaji/testkit';
import { expect } from 'vitest';
import { createPaymentDb, type PaymentDb } from '../src/adapters/outbound/prisma/payment-database.js';
import { paymentConfigSchema } from '../src/config.js';
import { SimulatedPaymentProvider } from '../src/index.js';
import { startPaymentService, type PaymentService } from '../src/payment.service.js';

export interface PurchaseTerms {
  purchaseId: string;
  productId: string;
  buyerId: string;
  sellerId: string;
}

/** Object mother: a fresh purchase between two fresh members. */
export function aPurchase(): PurchaseTerms & { amountKrw: number } {
  return {
    purchaseId: randomUUID(),
    productId: randomUUID(),
    buyerId: randomUUID(),
    sellerId: randomUUID(),
    amountKrw: 15_000,
  };
}

/** A purchase event as the purchase subgraph's outbox would publish it. */
export function aPurchaseEnvelope(
  type: 'PurchaseCancelled' | 'PurchaseFailed',
  terms: PurchaseTerms,
): EventEnvelope {
  const { purchaseId, productId, buyerId, sellerId } = terms;
  return {
    id: randomUUID(),
    type,
    version: 1,
    aggregateType: 'Purchase',
    aggregateId: purchaseId,
    occurredAt: new Date().toISOString(),
    correlationId: purchaseId,
    causationId: null,
    payload: {
      purchaseId,
      productId,
      buyerId,
      sellerId,
      ...(type === 'PurchaseFailed' ? { reason: 'PAYMENT_UNAVAILABLE' } : {}),
    },
  };
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The payment service started in-process on a real PostgreSQL database and a real JetStream
 * stream of its own, with a token issuer standing in for the member service and the purchase
 * service's signing key (payment trusts it; `asPurchase` signs with it).
 */
export class PaymentRig {
  private constructor(
    readonly service: PaymentService,
    readonly issuer: TestTokenIssuer,
    readonly database: TestDatabase,
    readonly stream: TestStream,
    readonly bus: EventBus,
    readonly db: PaymentDb,
    readonly asPurchase: ServiceTokenSigner,
  ) {}

  /** `env` overrides the service's configuration (e.g. a short PAYMENT_RECONCILE_AFTER_MS). */
  static async start(label: string, env: Record<string, string> = {}): Promise<PaymentRig> {
    const issuer = await TestTokenIssuer.start();
    const keys = await generateServiceKeys(['purchase']);
    const database = await createTestDatabase(label);
    const stream = createTestStream(label);
    const config = loadConfig(paymentConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      PAYMENT_DATABASE_URL: database.url,
      NATS_URL: stream.natsUrl,
      EVENT_STREAM: stream.stream,
      EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
      MEMBER_JWKS_URL: issuer.jwksUrl,
      TRUSTED_SERVICE_KEYS: keys.trustedKeys,
      ...env,
    });
    const provider = new SimulatedPaymentProvider({ latencyMs: 5 });
    const service = await startPaymentService(config, createLogger('payment', 'silent'), { provider });
    const bus = await connectEventBus({
      natsUrl: stream.natsUrl,
      stream: stream.stream,
      subjectPrefix: stream.subjectPrefix,
      name: `test-${label}`,
    });
    const asPurchase = createServiceTokenSigner(JSON.parse(keys.signingKeys.purchase ?? '{}'));
    return new PaymentRig(service, issuer, database, stream, bus, createPaymentDb(database.url), asPurchase);
  }

  get provider(): SimulatedPaymentProvider {
    return this.service.provider;
  }

  token(memberId: string): Promise<string> {
    return this.issuer.sign(memberId);
  }

  async authorize(body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const response = await fetch(`${this.service.internalUrl}/internal/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return honoursContract(paymentAuthorization.response, {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    });
  }

  /** `Authorization` for one request signed by the purchase service, as its payment client does. */
  async purchaseSignature(method: string, path: string, body?: string): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.asPurchase('payment', { method, path, body })}` };
  }

  /** POST /internal/payments as the purchase service does when a member buys. */
  async authorizeAsPurchase(purchase: PurchaseTerms & { amountKrw: number }): Promise<HttpAnswer> {
    return this.authorize(purchase, {
      ...(await this.purchaseSignature('POST', '/internal/payments', JSON.stringify(purchase))),
      'gaji-correlation-id': purchase.purchaseId,
    });
  }

  /** GET /internal/payments/:purchaseId, signed by purchase unless `headers` are given. */
  async lookUp(purchaseId: string, headers?: Record<string, string>): Promise<HttpAnswer> {
    const path = `/internal/payments/${purchaseId}`;
    const response = await fetch(`${this.service.internalUrl}${path}`, {
      headers: headers ?? (await this.purchaseSignature('GET', path)),
    });
    return honoursContract(paymentLookup.response, {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    });
  }

  /**
   * POST /internal/payments/:purchaseId/refund as purchase sends it once a buyer's cancel is
   * committed, signed by purchase unless `headers` are given.
   */
  async refund(purchaseId: string, headers?: Record<string, string>): Promise<HttpAnswer> {
    // Not paymentRefund.path: a test sends ids as they would arrive, malformed ones included.
    const path = `/internal/payments/${purchaseId}/refund`;
    const response = await fetch(`${this.service.internalUrl}${path}`, {
      method: 'POST',
      headers: headers ?? (await this.purchaseSignature('POST', path)),
    });
    return honoursContract(paymentRefund.response, {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    });
  }

  async publish(envelope: EventEnvelope, msgID = envelope.id): Promise<void> {
    await this.bus.js.publish(
      subjectFor(this.stream.subjectPrefix, envelope.type as 'PurchaseCancelled'),
      JSON.stringify(envelope),
      { msgID },
    );
  }

  rows(purchaseId: string) {
    return this.db.payment.findMany({ where: { purchaseId } });
  }

  attemptOf(purchaseId: string) {
    return this.db.chargeAttempt.findUnique({ where: { purchaseId } });
  }

  /** The state a crash of payment leaves behind: the attempt written a minute ago, and maybe no more. */
  crashedAttempt(purchase: PurchaseTerms & { amountKrw: number }) {
    return this.db.chargeAttempt.create({
      data: { ...purchase, status: 'PENDING', startedAt: new Date(Date.now() - 60_000) },
    });
  }

  /** Payment events of one purchase on the stream, once the outbox has been fully relayed. */
  async paymentEvents(purchaseId: string): Promise<EventEnvelope[]> {
    await eventually(async () => {
      const [row] = await this.db.$queryRaw<
        { count: bigint }[]
      >`SELECT count(*) AS count FROM gaji_outbox WHERE published_at IS NULL`;
      expect(Number(row?.count)).toBe(0);
    });
    const messages = await readStream(this.stream.natsUrl, this.stream.stream);
    return messages
      .map((message) => message.data as EventEnvelope)
      .filter(
        (envelope) =>
          envelope.aggregateType === 'Payment' &&
          (envelope.payload as PurchaseTerms).purchaseId === purchaseId,
      );
  }

  async dispose(): Promise<void> {
    await this.service.stop();
    await this.bus.close();
    await this.stream.remove();
    await this.db.$disconnect();
    await this.database.drop();
    await this.issuer.stop();
  }
}

/**
 * The contract test of the internal API (schema/src/internal): every answer a test receives is a
 * payment of the contract's shape, or a refusal whose code the contract knows, at its status.
 */
function honoursContract(response: z.ZodType, answer: HttpAnswer): HttpAnswer {
  if (answer.status === 200) {
    expect(response.safeParse(answer.body).error).toBeUndefined();
  } else {
    expect(refusalBody.safeParse(answer.body).error).toBeUndefined();
    const code = answer.body.code as PaymentRefusalCode;
    expect(paymentRefusals[code]?.status, `${code} is in the contract at status ${answer.status}`).toBe(
      answer.status,
    );
  }
  return answer;
}
