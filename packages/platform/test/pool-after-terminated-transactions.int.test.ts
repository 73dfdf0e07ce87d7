import {
  adminUrl,
  createTestDatabase,
  createTestPrisma,
  cutOffDatabase,
  type TestDatabase,
  type TestPrisma,
  type TestTx,
} from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdapter } from '../src/database/postgres-adapter.js';
import { Transactions } from '../src/database/transactions.js';

/** Pool slots, as few as make a lost one show. */
const MAX = 4;
/** How long a burst's statements sleep: a full pool runs them in one round of this. */
const SLEEP_S = 0.5;

/**
 * docs/reliability.md, Known limits: does a pooled connection whose backend PostgreSQL terminated
 * in the middle of a Prisma interactive transaction come back to the pool (or leave it), or stay
 * checked out for as long as the service runs? Every slot is taken by such a transaction, the
 * backends are terminated from an admin connection, and a burst of MAX sleeping statements must
 * then run in one round.
 */
describe('the pool after PostgreSQL terminates connections in the middle of interactive transactions', () => {
  let db: TestDatabase;
  let prisma: TestPrisma;
  let pool: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'> | undefined;
  let transactions: Transactions<TestTx>;
  let admin: pg.Client;
  // Node ends a service on an unhandled rejection; here they are collected instead.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    db = await createTestDatabase('pool_terminated');
    const adapter = postgresAdapter(db.url, MAX);
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const connected = await connect();
      pool = connected.underlyingDriver();
      return connected;
    };
    prisma = await createTestPrisma(db.url, adapter);
    transactions = new Transactions(prisma, 2_000);
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await admin?.end();
    await prisma?.$disconnect();
    await db?.drop();
  });

  /** Terminates these backends — only ever ones connected to this test's own database. */
  async function terminate(pids: number[]): Promise<number> {
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid = ANY($2)',
      [db.name, pids],
    );
    return rows.filter((row) => row.terminated).length;
  }

  const slots = () => ({ total: pool!.totalCount, idle: pool!.idleCount, waiting: pool!.waitingCount });

  /** MAX statements at once that each sleep SLEEP_S: how long until all answered (or 10 s, given up). */
  async function burst(): Promise<{ seconds: number; answered: number }> {
    const started = performance.now();
    let answered = 0;
    await Promise.race([
      Promise.all(
        Array.from({ length: MAX }, async () => {
          await prisma.$queryRaw`SELECT pg_sleep(${SLEEP_S}::float8)::text AS slept`;
          answered++;
        }),
      ),
      new Promise((resolve) => setTimeout(resolve, 10_000)),
    ]);
    return { seconds: (performance.now() - started) / 1000, answered };
  }

  /**
   * Fills every slot with a transaction that tells its backend and then waits; terminates those
   * backends (with `cut`, or one by one); lets each transaction go on with `then`; and answers how
   * each ended.
   */
  async function terminatedInTransactions(
    then: (tx: TestTx, signal: Promise<void>) => Promise<unknown>,
    cut = async (pids: number[]) => expect(await terminate(pids)).toBe(MAX),
  ): Promise<PromiseSettledResult<unknown>[]> {
    const pids: number[] = [];
    let letGo: () => void = () => undefined;
    const terminated = new Promise<void>((resolve) => (letGo = resolve));
    const running = Array.from({ length: MAX }, () =>
      transactions.run(async (tx) => {
        const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        pids.push(row!.pid);
        return then(tx, terminated);
      }),
    );
    const settled = Promise.allSettled(running);
    while (pids.length < MAX) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slots()).toMatchObject({ total: MAX, idle: 0 });
    await cut(pids);
    letGo();
    return settled;
  }

  const scenarios: [string, (tx: TestTx, terminated: Promise<void>) => Promise<unknown>][] = [
    [
      'idle in transaction, then another statement',
      async (tx, terminated) => {
        await terminated;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return tx.$queryRaw`SELECT 1`;
      },
    ],
    ['a statement in flight', (tx) => tx.$queryRaw`SELECT pg_sleep(30)`],
    [
      'idle in transaction, then COMMIT',
      async (_tx, terminated) => {
        await terminated;
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
    ],
    [
      'idle in transaction until it times out',
      async (_tx, terminated) => {
        await terminated;
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      },
    ],
  ];

  for (const [what, then] of scenarios)
    it(`${what}: every transaction fails, nothing is left unhandled, and a burst of ${MAX} statements afterwards gets all ${MAX} slots`, async () => {
      unhandled.length = 0;
      const outcomes = await terminatedInTransactions(then);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(MAX).fill('rejected'));
      const after = slots();
      const round = await burst();
      console.info(
        `${what}: pool after the failures ${JSON.stringify(after)}; burst of ${MAX} × ${SLEEP_S} s answered ${round.answered} in ${round.seconds.toFixed(2)} s; pool then ${JSON.stringify(slots())}`,
      );
      expect(round.answered).toBe(MAX);
      expect(round.seconds).toBeLessThan(2 * SLEEP_S);
      expect(slots()).toMatchObject({ total: MAX, idle: MAX, waiting: 0 });
      expect(unhandled.map(String)).toEqual([]);
    });

  it('an outage (the database refuses connections and ends those open, as store-outage.e2e cuts one off): everything fails while it lasts, and once it ends a burst gets every slot', async () => {
    unhandled.length = 0;
    let restore: () => Promise<void> = async () => undefined;
    try {
      const outcomes = await terminatedInTransactions(
        async (tx, terminated) => {
          await terminated;
          return tx.$queryRaw`SELECT 1`;
        },
        async () => void (restore = await cutOffDatabase(db.name)),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(MAX).fill('rejected'));
      const during = await Promise.allSettled(
        Array.from({ length: MAX }, () => transactions.run((tx) => tx.$queryRaw`SELECT 1`)),
      );
      expect(during.map((outcome) => outcome.status)).toEqual(Array(MAX).fill('rejected'));
    } finally {
      await restore();
    }
    const round = await burst();
    console.info(
      `outage: burst of ${MAX} × ${SLEEP_S} s after it answered ${round.answered} in ${round.seconds.toFixed(2)} s; pool then ${JSON.stringify(slots())}`,
    );
    expect(round.answered).toBe(MAX);
    expect(round.seconds).toBeLessThan(2 * SLEEP_S);
    expect(slots()).toMatchObject({ total: MAX, idle: MAX, waiting: 0 });
    expect(unhandled.map(String)).toEqual([]);
  });
});
