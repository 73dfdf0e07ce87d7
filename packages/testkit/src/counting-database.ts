import pg from 'pg';
import type { SqlExecutor, TransactionalDatabase } from '@gaji/platform/database';

/**
 * A database as a `Transactions` sees it, every call written down in order: `statement` for a raw
 * statement sent alone, `transaction` for an interactive transaction — what reached PostgreSQL, and
 * how. It offers raw statements and transactions only: a model-API call through it would fail.
 */
export function countingCalls<Tx extends SqlExecutor>(
  db: TransactionalDatabase<Tx>,
): { calls: string[]; db: TransactionalDatabase<Tx> } {
  const calls: string[] = [];
  const counted = {
    $executeRaw: (query: TemplateStringsArray, ...values: unknown[]) => {
      calls.push('statement');
      return db.$executeRaw(query, ...values);
    },
    $queryRaw: <T>(query: TemplateStringsArray, ...values: unknown[]) => {
      calls.push('statement');
      return db.$queryRaw<T>(query, ...values);
    },
    $transaction: <R>(work: (tx: Tx) => Promise<R>, options?: { timeout?: number; maxWait?: number }) => {
      calls.push('transaction');
      return db.$transaction(work, options);
    },
  };
  return { calls, db: counted as unknown as TransactionalDatabase<Tx> };
}

/**
 * Every statement node-postgres sends to `database` while `work` runs, BEGIN and COMMIT included,
 * by its text: what PostgreSQL was sent from inside a transaction as much as outside one (the
 * round trips a use case costs), where `countingCalls` sees only the calls that open them.
 */
export async function statementsSentTo(database: string, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    if (this.database === database)
      sent.push((typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim());
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}
