import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlExecutor, TransactionalDatabase } from './sql-transaction.js';

/**
 * Database transactions that nest: `run` joins the transaction already open in this async
 * context, or opens one. An event consumer opens the transaction (to record the event id) and
 * the use case it calls joins it, so effect and dedupe record commit or roll back together.
 */
/** The transaction open in an async context, and whether its commit is to be announced. */
interface OpenTransaction<Tx> {
  tx: Tx;
  announce: boolean;
}

export class Transactions<Tx extends SqlExecutor> {
  private readonly ambient = new AsyncLocalStorage<OpenTransaction<Tx>>();
  private readonly watches = new AsyncLocalStorage<{ committedAt: number | null }>();
  private readonly commitListeners: (() => void)[] = [];

  constructor(
    private readonly db: TransactionalDatabase<Tx>,
    private readonly timeoutMs = 15_000,
  ) {}

  async run<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    const open = this.ambient.getStore();
    if (open) return work(open.tx);
    let opened: OpenTransaction<Tx> | undefined;
    const result = await this.db.$transaction(
      (tx) => this.ambient.run((opened = { tx, announce: false }), () => work(tx)),
      { timeout: this.timeoutMs, maxWait: this.timeoutMs },
    );
    if (opened?.announce) this.announced();
    return result;
  }

  /**
   * Runs `work` and tells when the last transaction committed within it that announced events had
   * its commit acknowledged (`performance.now()`), or null if none did: a GraphQL answer waits for
   * those events' publication (`answerAfterEvents` in context-runtime.ts, `OutboxRelay.published`).
   */
  async watchCommits<R>(work: () => Promise<R>): Promise<{ result: R; committedAt: number | null }> {
    const watch: { committedAt: number | null } = { committedAt: null };
    const result = await this.watches.run(watch, work);
    return { result, committedAt: watch.committedAt };
  }

  /**
   * For one statement, a read or a write: joins the transaction open in this async context, or
   * runs on the pool without one. A single statement is atomic and reads one consistent snapshot
   * by itself; a transaction of its own would add BEGIN and COMMIT round trips and Prisma's
   * interactive transaction machinery (a pooled connection held across three calls) for nothing.
   * The database given to the constructor is a Prisma client, which offers every method a
   * transaction client does.
   */
  single<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    return work(this.ambient.getStore()?.tx ?? (this.db as unknown as Tx));
  }

  /**
   * The open transaction wrote events to the outbox: its commit will be announced to the
   * `onCommit` listeners. Outside a transaction it does nothing.
   */
  announceCommit(): void {
    const open = this.ambient.getStore();
    if (open) open.announce = true;
  }

  /**
   * A statement that wrote events has just been acknowledged: if it ran alone on the pool (through
   * `single`, outside any transaction) it was its own commit, announced now; if it joined an open
   * transaction, that transaction's commit will be announced, as with `announceCommit`.
   */
  announceStatementCommit(): void {
    if (this.ambient.getStore()) this.announceCommit();
    else this.announced();
  }

  private announced(): void {
    const watch = this.watches.getStore();
    if (watch) watch.committedAt = performance.now();
    for (const listener of this.commitListeners) listener();
  }

  /**
   * Called after each outermost commit of a transaction that called `announceCommit` (the relay
   * uses it to publish without waiting to poll). Transactions that wrote no events — a consumer's
   * dedupe record, a read-and-decide that decided nothing — do not wake the relay for an empty poll.
   */
  onCommit(listener: () => void): void {
    this.commitListeners.push(listener);
  }
}
