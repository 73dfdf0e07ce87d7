import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import type { RunningServer } from '@gaji/platform/graphql';
import {
  bearer,
  startTestSubgraph,
  createTestDatabase,
  eventually,
  graphql,
  TestTokenIssuer,
  type TestDatabase,
} from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindPayments } from '../../src/application/find-payments/find-payments.query.js';
import { paymentResolvers } from '../../src/adapters/inbound/graphql/resolvers.js';
import { createPaymentDb, type PaymentDb } from '../../src/adapters/outbound/prisma/payment-database.js';
import { PrismaPaymentRepository } from '../../src/adapters/outbound/prisma/prisma-payment.repository.js';
import { Payment } from '../../src/domain/payment.aggregate.js';
import { paymentTypeDefs } from '../../src/payment.service.js';
import { aPurchase, aPurchaseEnvelope, PaymentRig } from '../payment-rig.js';

const purchasePayment = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Purchase { id payment { id status amountKrw completedAt cancelledAt } } }
}`;
const paymentById = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Payment { id status amountKrw } }
}`;
const purchases = (...ids: string[]) => ({
  representations: ids.map((id) => ({ __typename: 'Purchase', id })),
});
const payments = (...ids: string[]) => ({
  representations: ids.map((id) => ({ __typename: 'Payment', id })),
});

describe('payment GraphQL entities (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  beforeAll(async () => {
    rig = await PaymentRig.start('payment_graphql');
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  it("a purchase's payment is shown to its buyer and its seller, and is null for any other member", async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    const asMember = async (memberId: string) =>
      graphql(
        rig.service.url,
        purchasePayment,
        purchases(purchase.purchaseId),
        bearer(await rig.token(memberId)),
      );

    const expected = {
      _entities: [
        {
          id: purchase.purchaseId,
          payment: {
            id: body.paymentId,
            status: 'COMPLETED',
            amountKrw: 15_000,
            completedAt: expect.any(String),
            cancelledAt: null,
          },
        },
      ],
    };
    expect((await asMember(purchase.buyerId)).data).toEqual(expected);
    expect((await asMember(purchase.sellerId)).data).toEqual(expected);
    expect((await asMember(randomUUID())).data).toEqual({
      _entities: [{ id: purchase.purchaseId, payment: null }],
    });
  });

  it('asking for a payment anonymously is refused with UNAUTHENTICATED', async () => {
    const response = await graphql(rig.service.url, purchasePayment, purchases(randomUUID()));
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a payment resolved by its own id follows the same rule, and shows CANCELLED once refunded', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    await rig.publish(aPurchaseEnvelope('PurchaseCancelled', purchase));
    await eventually(async () => expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('CANCELLED'));

    const asBuyer = await graphql(
      rig.service.url,
      paymentById,
      payments(String(body.paymentId)),
      bearer(await rig.token(purchase.buyerId)),
    );
    expect(asBuyer.data).toEqual({
      _entities: [{ id: body.paymentId, status: 'CANCELLED', amountKrw: 15_000 }],
    });
    const asOther = await graphql(
      rig.service.url,
      paymentById,
      payments(String(body.paymentId)),
      bearer(await rig.token(randomUUID())),
    );
    expect(asOther.data).toEqual({ _entities: [null] });
  });

  it('a VOIDED tombstone is never shown as a payment', async () => {
    const purchase = aPurchase();
    await rig.publish(aPurchaseEnvelope('PurchaseFailed', purchase));
    await eventually(async () => expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('VOIDED'));
    const response = await graphql(
      rig.service.url,
      purchasePayment,
      purchases(purchase.purchaseId),
      bearer(await rig.token(purchase.buyerId)),
    );
    expect(response.data).toEqual({ _entities: [{ id: purchase.purchaseId, payment: null }] });
  });
});

describe('payment GraphQL batching (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: PaymentDb;
  let issuer: TestTokenIssuer;
  let server: RunningServer;
  let paymentQueries = 0;
  const buyerId = randomUUID();
  const purchaseIds = [randomUUID(), randomUUID(), randomUUID()];
  const paymentIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('payment_batching');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'payment', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    db = createPaymentDb(database.url);
    // Counts every Prisma operation on the payments table, inside transactions too.
    const counted = db.$extends({
      query: {
        payment: {
          $allOperations({ args, query }) {
            paymentQueries++;
            return query(args);
          },
        },
      },
    });
    const repository = new PrismaPaymentRepository(
      new Transactions(counted as unknown as PaymentDb),
      new Outbox('test-batching'),
    );
    for (const purchaseId of purchaseIds) {
      const payment = Payment.complete({
        id: randomUUID(),
        purchaseId,
        productId: randomUUID(),
        buyerId,
        sellerId: randomUUID(),
        amountKrw: 1_000,
        providerReference: 'ref',
        now: new Date(),
      });
      paymentIds.push(payment.id);
      await repository.add(payment, { correlationId: purchaseId, causationId: null });
    }
    issuer = await TestTokenIssuer.start();
    server = await startTestSubgraph({
      name: 'payment',
      issuer,
      typeDefs: paymentTypeDefs,
      resolvers: paymentResolvers({ findPayments: new FindPayments(repository) }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it('resolving the payments of many purchases in one _entities call asks the database once', async () => {
    const unknown = randomUUID();
    paymentQueries = 0;
    const response = await graphql(
      server.url,
      purchasePayment,
      purchases(...purchaseIds, unknown),
      bearer(await issuer.sign(buyerId)),
    );

    const entities = (response.data as { _entities: { id: string; payment: { id: string } | null }[] })
      ._entities;
    expect(entities.map((entity) => entity.payment?.id ?? null)).toEqual([...paymentIds, null]);
    expect(paymentQueries).toBe(1);
  });

  it('resolving many payments by id in one _entities call asks the database once', async () => {
    paymentQueries = 0;
    const response = await graphql(
      server.url,
      paymentById,
      payments(...paymentIds),
      bearer(await issuer.sign(buyerId)),
    );

    expect((response.data as { _entities: { id: string }[] })._entities.map((entity) => entity.id)).toEqual(
      paymentIds,
    );
    expect(paymentQueries).toBe(1);
  });
});
