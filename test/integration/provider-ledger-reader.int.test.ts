import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readProviderLedger } from '../../scripts/audit/provider-ledger.js';

/**
 * The auditor finds the provider's books by table name and reads them by their columns, so it
 * works with whichever shape payment keeps; these are the shapes it understands, on real PostgreSQL.
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
    await client.query(
      'DROP TABLE IF EXISTS provider_charges; DROP TABLE IF EXISTS payment_ledger; DROP TABLE IF EXISTS provider_ledger',
    );
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('no provider or ledger table means no ledger', async () => {
    expect(await readProviderLedger(client)).toBeNull();
  });

  it('a row per charge with a refunded flag', async () => {
    await client.query(`CREATE TABLE provider_charges (idempotency_key text, provider_reference text, amount_krw int, refunded boolean);
      INSERT INTO provider_charges VALUES ('p1', 'r1', 1000, false), ('p2', 'r2', 1000, true)`);
    expect(await readProviderLedger(client)).toEqual({
      table: 'provider_charges',
      charges: [
        { purchaseId: 'p1', reference: 'r1', refunded: false },
        { purchaseId: 'p2', reference: 'r2', refunded: true },
      ],
    });
  });

  it('a row per charge with a status, where declined and pending attempts are no charge', async () => {
    await client.query(`CREATE TABLE provider_ledger (purchase_id text, reference text, status text);
      INSERT INTO provider_ledger VALUES ('p1', 'r1', 'CHARGED'), ('p2', 'r2', 'REFUNDED'), ('p3', NULL, 'DECLINED'), ('p4', NULL, 'PENDING')`);
    expect((await readProviderLedger(client))?.charges).toEqual([
      { purchaseId: 'p1', reference: 'r1', refunded: false },
      { purchaseId: 'p2', reference: 'r2', refunded: true },
    ]);
  });

  it('a row per operation with a kind: a charge is refunded when a refund names it', async () => {
    await client.query(`CREATE TABLE payment_ledger (purchase_id text, provider_reference text, kind text);
      INSERT INTO payment_ledger VALUES ('p1', 'r1', 'CHARGE'), ('p2', 'r2', 'CHARGE'), ('p2', 'r2', 'REFUND')`);
    expect((await readProviderLedger(client))?.charges).toEqual([
      { purchaseId: 'p1', reference: 'r1', refunded: false },
      { purchaseId: 'p2', reference: 'r2', refunded: true },
    ]);
  });

  it('a table it cannot read fails the audit instead of passing it', async () => {
    await client.query(`CREATE TABLE provider_ledger (note text); INSERT INTO provider_ledger VALUES ('x')`);
    await expect(readProviderLedger(client)).rejects.toThrow(/no reference or purchase/);
  });
});
