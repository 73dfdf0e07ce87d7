import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPaymentDb, PostgresProviderLedger, SimulatedPaymentProvider } from '@gaji/payment';
import { platformMigrations, runMigrations } from '@gaji/platform/database';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProviderLedger } from '../../scripts/audit/provider-ledger.js';

describe("the auditor reads the books payment's own provider writes", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('ledger_payment');
    // Payment's real schema, by its migrations: the table the provider writes is the one they create.
    await runMigrations(db.url, [
      platformMigrations,
      {
        namespace: 'payment',
        directory: fileURLToPath(new URL('../../subgraphs/payment/prisma/migrations', import.meta.url)),
      },
    ]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a charge the provider kept, and one it refunded, are what the auditor reads', async () => {
    const paymentDb = createPaymentDb(db.url);
    try {
      const provider = new SimulatedPaymentProvider({
        latencyMs: 0,
        ledger: new PostgresProviderLedger(paymentDb),
      });
      const charge = async () => {
        const purchaseId = randomUUID();
        const outcome = await provider.charge({
          idempotencyKey: purchaseId,
          buyerId: randomUUID(),
          amountKrw: 15_000,
          deadline: new Date(Date.now() + 10_000),
        });
        if (!outcome.approved) throw new Error(`charge declined: ${outcome.reason}`);
        return { purchaseId, providerReference: outcome.providerReference };
      };
      const kept = await charge();
      const refunded = await charge();
      await provider.refund({ providerReference: refunded.providerReference, amountKrw: 15_000 });

      const read = await readProviderLedger(paymentDb);

      expect(read).toHaveLength(2);
      expect(read).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            idempotencyKey: kept.purchaseId,
            providerReference: kept.providerReference,
            amountKrw: 15_000,
            refunded: false,
          }),
          expect.objectContaining({
            idempotencyKey: refunded.purchaseId,
            providerReference: refunded.providerReference,
            refunded: true,
          }),
        ]),
      );
    } finally {
      await paymentDb.$disconnect();
    }
  });

  it('a payment database without the provider’s table fails the read instead of passing it', async () => {
    const bare = await createTestDatabase('ledger_missing');
    const bareDb = createPaymentDb(bare.url);
    try {
      await expect(readProviderLedger(bareDb)).rejects.toThrow(/simulated_provider_charges/);
    } finally {
      await bareDb.$disconnect();
      await bare.drop();
    }
  });
});
