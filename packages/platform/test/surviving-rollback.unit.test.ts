import { describe, expect, it, vi } from 'vitest';
import { survivingRollback } from '../src/database/postgres-adapter.js';

/** A transaction as adapter-pg hands it out: its pool client and its executeRaw. */
function aTransaction(client: { _queryable: boolean; end: () => Promise<void> }, failing: string) {
  return {
    client,
    executeRaw: vi.fn(async (query: { sql: string }) => {
      if (query.sql === failing) throw new Error(`${failing} failed`);
      return 1;
    }),
  };
}

const statement = (sql: string) => ({ sql, args: [], argTypes: [] });

describe('a ROLLBACK that fails (postgresAdapter)', () => {
  it('on a connection already lost: counts as done, and the connection is left to the pool to drop', async () => {
    const client = { _queryable: false, end: vi.fn(async () => undefined) };
    const transaction = survivingRollback(aTransaction(client, 'ROLLBACK'));
    await expect(transaction.executeRaw(statement('ROLLBACK'))).resolves.toBe(0);
    expect(client.end).not.toHaveBeenCalled();
  });

  it('on a connection still up: the session is ended, so PostgreSQL rolls back and no open transaction goes back to the pool', async () => {
    const client = { _queryable: true, end: vi.fn(async () => undefined) };
    const transaction = survivingRollback(aTransaction(client, 'ROLLBACK'));
    await expect(transaction.executeRaw(statement('ROLLBACK'))).resolves.toBe(0);
    expect(client.end).toHaveBeenCalledTimes(1);
  });

  it('any other statement fails as it did', async () => {
    const client = { _queryable: true, end: vi.fn(async () => undefined) };
    const transaction = survivingRollback(aTransaction(client, 'COMMIT'));
    await expect(transaction.executeRaw(statement('COMMIT'))).rejects.toThrow('COMMIT failed');
    await expect(transaction.executeRaw(statement('ROLLBACK'))).resolves.toBe(1);
    expect(client.end).not.toHaveBeenCalled();
  });
});
