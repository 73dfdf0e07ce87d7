import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPaymentDb, PostgresProviderLedger, SIMULATED_PROVIDER_LEDGER_TABLE } from '@gaji/payment';
import { platformMigrations, runMigrations } from '@gaji/platform/database';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readProviderLedger } from '../../scripts/audit/provider-ledger.js';

const ledger = `"${SIMULATED_PROVIDER_LEDGER_TABLE}"`;

/**
 * The auditor reads the provider's books from the table payment names, and reads them by their
 * columns; these are the shapes it understands, on real PostgreSQL.
 */
describe('the auditor reads a provider ledger by its columns', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('ledger_reader');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterEach(async () => {
    await client.query(`DROP TABLE IF EXISTS ${ledger}; DROP TABLE IF EXISTS provider_ledger`);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('no ledger table means no ledger, whatever other table says provider or ledger', async () => {
    await client.query(`CREATE TABLE provider_ledger (purchase_id text, reference text, status text);
      INSERT INTO provider_ledger VALUES ('p1', 'r1', 'CHARGED')`);
    expect(await readProviderLedger(client)).toBeNull();
  });

  it('a row per charge with a refunded flag', async () => {
    await client.query(`CREATE TABLE ${ledger} (idempotency_key text, provider_reference text, amount_krw int, refunded boolean);
      INSERT INTO ${ledger} VALUES ('p1', 'r1', 1000, false), ('p2', 'r2', 1000, true)`);
    expect(await readProviderLedger(client)).toEqual({
      table: SIMULATED_PROVIDER_LEDGER_TABLE,
      charges: [
        { purchaseId: 'p1', reference: 'r1', refunded: false },
        { purchaseId: 'p2', reference: 'r2', refunded: true },
      ],
    });
  });

  it('a row per charge with a status, where declined and pending attempts are no charge', async () => {
    await client.query(`CREATE TABLE ${ledger} (purchase_id text, reference text, status text);
      INSERT INTO ${ledger} VALUES ('p1', 'r1', 'CHARGED'), ('p2', 'r2', 'REFUNDED'), ('p3', NULL, 'DECLINED'), ('p4', NULL, 'PENDING')`);
    expect((await readProviderLedger(client))?.charges).toEqual([
      { purchaseId: 'p1', reference: 'r1', refunded: false },
      { purchaseId: 'p2', reference: 'r2', refunded: true },
    ]);
  });

  it('a row per operation with a kind: a charge is refunded when a refund names it', async () => {
    await client.query(`CREATE TABLE ${ledger} (purchase_id text, provider_reference text, kind text);
      INSERT INTO ${ledger} VALUES ('p1', 'r1', 'CHARGE'), ('p2', 'r2', 'CHARGE'), ('p2', 'r2', 'REFUND')`);
    expect((await readProviderLedger(client))?.charges).toEqual([
      { purchaseId: 'p1', reference: 'r1', refunded: false },
      { purchaseId: 'p2', reference: 'r2', refunded: true },
    ]);
  });

  it('a table it cannot read fails the audit instead of passing it', async () => {
    await client.query(`CREATE TABLE ${ledger} (note text); INSERT INTO ${ledger} VALUES ('x')`);
    await expect(readProviderLedger(client)).rejects.toThrow(/no reference or purchase/);
  });
});

describe("the auditor reads the books payment's own provider writes", () => {
  let db: TestDatabase;
  let client: pg.Client;
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
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('a charge the provider recorded, and one it refunded, are what the auditor reads', async () => {
    const paymentDb = createPaymentDb(db.url);
    try {
      // Both writes go through the provider's books: its raw insert and its Prisma model.
      const books = new PostgresProviderLedger(paymentDb);
      const charge = (purchaseId: string) => ({
        idempotencyKey: purchaseId,
        providerReference: `sim_${randomUUID()}`,
        buyerId: randomUUID(),
        amountKrw: 15_000,
        chargedAt: new Date(),
        refunded: false,
      });
      const kept = await books.record(charge(randomUUID()));
      const refunded = await books.record(charge(randomUUID()));
      await books.markRefunded(refunded.providerReference, new Date());

      const read = await readProviderLedger(client);

      expect(read?.table).toBe(SIMULATED_PROVIDER_LEDGER_TABLE);
      expect(read?.charges).toEqual(
        expect.arrayContaining([
          { purchaseId: kept.idempotencyKey, reference: kept.providerReference, refunded: false },
          { purchaseId: refunded.idempotencyKey, reference: refunded.providerReference, refunded: true },
        ]),
      );
      expect(read?.charges).toHaveLength(2);
    } finally {
      await paymentDb.$disconnect();
    }
  });
});
