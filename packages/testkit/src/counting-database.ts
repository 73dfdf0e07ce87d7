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
