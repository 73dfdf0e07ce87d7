import type { RecordedEvent } from '@gaji/contracts';
import { countingCalls, type TestTx } from '@gaji/testkit';
import type { Sql } from '@prisma/client/runtime/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../src/database/sql-transaction.js';
import { Transactions } from '../src/database/transactions.js';
import { saveWithEventsInOneStatement } from '../src/events/save-with-events.js';
import { aMemberJoined, createPlatformRig, type PlatformRig } from './event-platform.fixtures.js';

class Taken extends Error {}

/** An aggregate holding `events` until pulled, as a domain model does. */
function anAggregate(events: RecordedEvent[]) {
  let held = events;
  return {
    pullEvents: () => {
      const pulled = held;
      held = [];
      return pulled;
    },
  };
}

/** The account row and its events in one statement: the way a repository uses the helper. */
const writeAccount = (id: number) => (tx: SqlExecutor, events: Sql) =>
  tx.$executeRaw`WITH account AS (INSERT INTO accounts (id) VALUES (${id})), events AS (${events}) SELECT 1`;

describe('saveWithEventsInOneStatement (real PostgreSQL)', () => {
  let r: PlatformRig;
  beforeAll(async () => {
    r = await createPlatformRig('one_statement_save');
    await r.prisma.$executeRaw`CREATE TABLE accounts (id int PRIMARY KEY)`;
  });
  afterAll(async () => {
    await r?.dispose();
  });

  const outboxRows = () =>
    r.prisma.$queryRaw<
      { id: string; subject: string; envelope: Record<string, unknown>; headers: Record<string, unknown> }[]
    >`
      SELECT id::text, subject, envelope, headers FROM gaji_outbox ORDER BY seq`;

  it('writes the state and its events as one statement, no transaction, the rows in the events’ order and as append writes them', async () => {
    const { calls, db } = countingCalls<TestTx>(r.prisma);
    const transactions = new Transactions(db);
    const events = [aMemberJoined(1), aMemberJoined(2), aMemberJoined(3)];

    await saveWithEventsInOneStatement(transactions, r.outbox, anAggregate(events), writeAccount(1));

    expect(calls).toEqual(['statement']);
    const written = await outboxRows();
    expect(written.map((row) => (row.envelope.payload as { nickname: string }).nickname)).toEqual([
      'member1',
      'member2',
      'member3',
    ]);
    // The same row `append` writes for the same event: the relay and every consumer read both alike.
    const [appended] = await r.transactions.run((tx) => r.outbox.append(tx, [aMemberJoined(4)]));
    const [, , , byAppend] = await outboxRows();
    expect(byAppend!.id).toBe(appended!.id);
    for (const row of written) {
      expect(row.subject).toBe(byAppend!.subject);
      expect(Object.keys(row.envelope).sort()).toEqual(Object.keys(byAppend!.envelope).sort());
      expect(Object.keys(row.headers).sort()).toEqual(Object.keys(byAppend!.headers).sort());
      expect(row.envelope.id).toBe(row.id);
      expect(row.headers['Gaji-Event-Type']).toBe('MemberJoined');
    }
    expect(await r.prisma.$queryRaw`SELECT id FROM accounts`).toEqual([{ id: 1 }]);
  });

  it('a write that fails leaves no event behind, and a unique violation comes back as the domain’s error', async () => {
    const before = (await outboxRows()).length;
    await expect(
      saveWithEventsInOneStatement(
        r.transactions,
        r.outbox,
        anAggregate([aMemberJoined(5)]),
        writeAccount(1), // taken by the test above
        { onUniqueViolation: () => new Taken() },
      ),
    ).rejects.toBeInstanceOf(Taken);
    expect(await outboxRows()).toHaveLength(before);
  });

  it('announces its own commit at once outside a transaction, and inside one only when that commits', async () => {
    const transactions = new Transactions(r.prisma);
    let heard = 0;
    transactions.onCommit(() => heard++);

    const watched = await transactions.watchCommits(() =>
      saveWithEventsInOneStatement(transactions, r.outbox, anAggregate([aMemberJoined(6)]), writeAccount(6)),
    );
    expect(heard).toBe(1);
    expect(watched.committedAt).not.toBeNull();

    await transactions.run(async () => {
      await saveWithEventsInOneStatement(
        transactions,
        r.outbox,
        anAggregate([aMemberJoined(7)]),
        writeAccount(7),
      );
      expect(heard).toBe(1); // not committed yet
    });
    expect(heard).toBe(2);

    await expect(
      transactions.run(async () => {
        await saveWithEventsInOneStatement(
          transactions,
          r.outbox,
          anAggregate([aMemberJoined(8)]),
          writeAccount(8),
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toBe(2);
    expect(await r.prisma.$queryRaw`SELECT id FROM accounts WHERE id = 8`).toEqual([]);

    // A write with no events wakes nobody.
    await saveWithEventsInOneStatement(transactions, r.outbox, anAggregate([]), writeAccount(9));
    expect(heard).toBe(2);
  });
});
