import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';

/**
 * How many statement shapes get a name. Prisma writes an `in` filter's values out as `($1, …,
 * $n)`, so each batch size of a DataLoader is a shape of its own: without a bound, every
 * connection would keep preparing (and PostgreSQL keep holding) new ones for as long as it lives.
 * The first shapes a process meets are its hot ones; the rest run unnamed, as all did before.
 */
const NAMED_SHAPES_MAX = 500;

/**
 * Prisma's PostgreSQL driver adapter as every context uses it: a pool of `max` connections whose
 * statements are prepared once per connection. A statement with parameters gets a name derived
 * from its SQL text, so PostgreSQL parses (and, after a few runs, plans) that shape once per
 * connection instead of once per query — on the product page's statement, PostgreSQL's CPU per
 * query went from 154–162 to 122–128 µs (`npx tsx bench/product-page/prepared-statements.ts`,
 * bench/results/2026-11-30T06-51-20-prepared-statements.md). The same text always gets the same name, never
 * another text's. Statements without parameters (DDL, a `$executeRawUnsafe` of several commands)
 * stay unnamed: a prepared statement holds one command. Behind PgBouncer, this needs its
 * transaction mode's `max_prepared_statements` (1.21 and later) or session mode.
 */
export function postgresAdapter(databaseUrl: string, max: number): PrismaPg {
  const names = new Map<string, string>();
  return new PrismaPgSurvivingLostConnections(
    { connectionString: databaseUrl, max },
    {
      // adapter-pg passes the name to pg's `query({ name })`, where undefined means unnamed.
      statementNameGenerator: ({ sql, args }) => {
        if (args.length === 0) return undefined as unknown as string;
        let name = names.get(sql);
        if (name === undefined && names.size < NAMED_SHAPES_MAX) {
          name = `gaji_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
          names.set(sql, name);
        }
        return name as string;
      },
    },
  );
}

/**
 * PrismaPg, but a ROLLBACK that fails counts as done (survivingRollback). Prisma (7.9) rolls a
 * transaction back from a timer when it outlives its `timeout`, and does not catch that: when
 * PostgreSQL had terminated the connection meanwhile, the ROLLBACK's failure was an unhandled
 * rejection, which ends the process (pool-after-terminated-transactions.int.test.ts).
 */
class PrismaPgSurvivingLostConnections extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) =>
      survivingRollback(await startTransaction(isolationLevel));
    return adapter;
  }
}

/** What survivingRollback needs of adapter-pg's transaction: its pool client (pg's own fields). */
interface WithPoolClient {
  executeRaw(query: { sql: string }): Promise<number>;
}
interface PoolClientState {
  _queryable?: boolean;
  end(): Promise<void>;
}

/**
 * The transaction, with a ROLLBACK that never fails. PostgreSQL never refuses a ROLLBACK on a
 * live session, so one fails when the connection is gone — and a backend that is gone has rolled
 * its transaction back itself; pg-pool then destroys the client, which is no longer queryable,
 * when it is released. Should it ever fail with the connection still up (a client-side timeout),
 * the session is ended here: PostgreSQL rolls back, and the client, no longer queryable either,
 * is destroyed on release instead of going back to the pool with a transaction open.
 */
export function survivingRollback<T extends WithPoolClient>(transaction: T): T {
  const executeRaw = transaction.executeRaw.bind(transaction);
  const client = (transaction as unknown as { client?: PoolClientState }).client;
  transaction.executeRaw = (query) =>
    query.sql === 'ROLLBACK'
      ? executeRaw(query).catch(async () => {
          if (client && client._queryable !== false) await client.end().catch(() => undefined);
          return 0;
        })
      : executeRaw(query);
  return transaction;
}
