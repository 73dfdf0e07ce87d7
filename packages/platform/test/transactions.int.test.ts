import {
  createTestDatabase,
  createTestPrisma,
  type TestDatabase,
  type TestPrisma,
  type TestTx,
} from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactions } from '../src/database/transactions.js';
import { holdingTransaction } from './held-transaction.fixtures.js';

/**
 * Two statements a few milliseconds apart: each in a transaction of its own (implicit), they see
 * two different `now()`s; inside one transaction that wraps both, the same one (its start). Two
 * statements, because what one statement's `now() = statement_timestamp()` shows depends on how
 * the driver sends it (unnamed, or prepared as postgres-adapter.ts prepares statements).
 */
async function inOwnTransaction(tx: TestTx): Promise<boolean> {
  const [first] = await tx.$queryRaw<{ at: Date }[]>`SELECT now() AS at`;
  await new Promise((resolve) => setTimeout(resolve, 5));
  const [second] = await tx.$queryRaw<{ at: Date }[]>`SELECT now() AS at`;
  return first!.at.getTime() !== second!.at.getTime();
}

describe('Transactions.single', () => {
  let db: TestDatabase;
  let prisma: TestPrisma;
  let transactions: Transactions<TestTx>;
  beforeAll(async () => {
    db = await createTestDatabase('transactions_read');
    prisma = await createTestPrisma(db.url);
    transactions = new Transactions(prisma);
    await prisma.$executeRaw`CREATE TABLE notes (id int PRIMARY KEY)`;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('runs a lone read without opening a transaction (no BEGIN before it)', async () => {
    expect(await transactions.single(inOwnTransaction)).toBe(true);
    // The same statement through run() is inside an interactive transaction that began earlier.
    expect(await transactions.run(inOwnTransaction)).toBe(false);
  });

  it('joins the transaction open in its async context and sees its uncommitted writes', async () => {
    const seen = await transactions.run(async (tx) => {
      await tx.$executeRaw`INSERT INTO notes (id) VALUES (1)`;
      return transactions.single(
        async (reader) =>
          (await reader.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM notes`)[0]!.n,
      );
    });
    expect(seen).toBe(1);
  });

  it('announces a commit to the listeners only when the transaction wrote events, and never a rollback', async () => {
    let heard = 0;
    const quiet = new Transactions(prisma);
    quiet.onCommit(() => heard++);

    await quiet.run(async (tx) => tx.$executeRaw`INSERT INTO notes (id) VALUES (10)`); // no events
    expect(heard).toBe(0);
    // Announced from a joined (nested) run: the outermost commit is what is heard, once.
    await quiet.run(() => quiet.run(async () => quiet.announceCommit()));
    expect(heard).toBe(1);
    await expect(
      quiet.run(async () => {
        quiet.announceCommit();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toBe(1);
    quiet.announceCommit(); // outside a transaction: nothing to announce
    expect(heard).toBe(1);
  });

  it('tells a watcher whether a transaction committed within its work announced events', async () => {
    const watched = new Transactions(prisma);
    const silent = await watched.watchCommits(() =>
      watched.run(async (tx) => tx.$executeRaw`INSERT INTO notes (id) VALUES (20)`),
    );
    expect(silent).toEqual({ result: 1, committedAt: null });
    const before = performance.now();
    const loud = await watched.watchCommits(async () => {
      await watched.run(async () => watched.announceCommit());
      return 'answered';
    });
    expect(loud.result).toBe('answered');
    expect(loud.committedAt).toBeGreaterThan(before);
    expect(loud.committedAt).toBeLessThanOrEqual(performance.now());
    // Another request's commit, outside this watch, is not this one's.
    const elsewhere = await holdingTransaction(
      (work) => watched.run(work),
      () => watched.announceCommit(),
    );
    try {
      const beside = watched.watchCommits(() => elsewhere.release());
      expect((await beside).committedAt).toBeNull();
    } finally {
      await elsewhere.release();
    }
  });
});
