import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlExecutor, TransactionalDatabase } from './sql-transaction.js';

/**
 * Database transactions that nest: `run` joins the transaction already open in this async
 * context, or opens one. An event consumer opens the transaction (to record the event id) and
 * the use case it calls joins it, so effect and dedupe record commit or roll back together.
 */
export class Transactions<Tx extends SqlExecutor> {
  private readonly ambient = new AsyncLocalStorage<Tx>();
  private readonly commitListeners: (() => void)[] = [];

  constructor(
    private readonly db: TransactionalDatabase<Tx>,
    private readonly timeoutMs = 15_000,
  ) {}

  async run<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    const open = this.ambient.getStore();
    if (open) return work(open);
    const result = await this.db.$transaction((tx) => this.ambient.run(tx, () => work(tx)), {
      timeout: this.timeoutMs,
      maxWait: this.timeoutMs,
    });
    for (const listener of this.commitListeners) listener();
    return result;
  }

  /**
   * For one statement that only reads: joins the transaction open in this async context, or runs
   * on the pool without one. A single statement already reads one consistent snapshot; a
   * transaction of its own would add BEGIN and COMMIT round trips and Prisma's interactive
   * transaction machinery (a pooled connection held across three calls) for nothing. The database
   * given to the constructor is a Prisma client, which offers every method a transaction client does.
   */
  read<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    return work(this.ambient.getStore() ?? (this.db as unknown as Tx));
  }

  /** Called after each outermost commit (the relay uses it to publish without waiting to poll). */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }
}
