import type { Logger } from '../logging/logger.js';
import {
  publishOutboxBatch,
  type OutboxPublishingOptions,
  type PassOutcome,
} from './outbox-publishing-pass.js';
import { PublicationWaiters, type WaitForPublication } from './publication-waiters.js';

export interface OutboxRelayOptions extends OutboxPublishingOptions {
  logger: Logger;
  batchSize?: number;
  /** How often to look for rows when nobody kicked the relay (another replica's commits, restarts). */
  pollIntervalMs?: number;
}

/**
 * How soon a pass that did not get the lock is tried again: another replica is mid-pass, and an
 * answer here may be waiting (or about to wait) for rows that pass did not see (`published`).
 * Doubled on each miss in a row, up to the poll interval: a replica holding the lock for long
 * (NATS slow to ack) does not get a hundred empty transactions a second from each of the others.
 */
const LOCKED_RETRY_MS = 10;

/**
 * One run of the relay's loop, from a `start` to the `stop` that ends it. Each has its own flag: a
 * loop still finishing a pass when the relay is started again sees that its own run was stopped,
 * rather than a shared `running` turned true again, and ends; the new run waits for it (`start`).
 */
interface LoopRun {
  stopped: boolean;
  ended: Promise<void>;
}

/**
 * Publishes outbox rows to JetStream in order and marks them published. A batch is marked,
 * published and committed in one transaction; if the publish fails or the process dies before the
 * commit, the mark is rolled back, the rows go out again, and JetStream drops the copies because
 * msgID = event id.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private loop?: LoopRun;
  private wake?: () => void;
  private kicked = false;
  private reconnected = false;
  /** The last publishing attempt failed: the relay is backing off, nothing goes out soon. */
  private failing = false;
  private readonly waiters = new PublicationWaiters();
  /** The pass running or just ended did not get the relay lock: another replica is mid-pass. */
  private lockedOut = false;
  /** Passes in a row that did not get the lock. */
  private lockMisses = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    // After an outage the back-off may have grown to 5 s: NATS returning starts it over, at once.
    options.connection?.onChange((up) => {
      if (!up) return;
      this.reconnected = true;
      this.kick();
    });
  }

  private get running(): boolean {
    return this.loop !== undefined && !this.loop.stopped;
  }

  /**
   * Safe in any order with `stop`, awaited or not: a run started while the last one still finishes
   * its pass begins once that pass is over, so passes never overlap (they share `lockedOut` and the
   * one `wake`), and a later `stop` ends the new run.
   */
  start(): void {
    if (this.running) return;
    const previous = this.loop?.ended;
    const loop: LoopRun = { stopped: false, ended: Promise.resolve() };
    this.loop = loop;
    // A first start has nothing to wait for: its first pass begins at once, as it always has.
    loop.ended = previous ? previous.then(() => this.run(loop)) : this.run(loop);
  }

  /** Publish now rather than at the next poll (called after a transaction with events commits). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Resolves once the events of a commit acknowledged at `committedAt` (`performance.now()`) are
   * on the stream: a pass whose snapshot came after that moment has had its publish acked and took
   * every row it saw (none was left for a next batch) — or after `withinMs`, whichever comes first;
   * at once while the relay cannot publish (stopped, NATS away, backing off after a failure). It
   * never rejects. The commit's own kick starts that pass. A pass that did not get the lock (another
   * replica is mid-pass) releases nobody, and is tried again soon (LOCKED_RETRY_MS). A latency
   * hint, not a guarantee anything relies on — the outbox guarantees publication.
   */
  async published(committedAt: number, withinMs: number): Promise<WaitForPublication> {
    const { connection } = this.options;
    if (!this.running || this.failing || (connection && !connection.connected)) return 'relay_down';
    return this.waiters.wait(committedAt, withinMs);
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (loop) loop.stopped = true;
    this.wake?.();
    await loop?.ended;
    // Started again meanwhile: the new run's passes will let the waiters go.
    if (!this.running) this.waiters.releaseAll();
  }

  /** Publishes until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, more } = await this.publishBatch();
      total += published;
      if (!more) return total;
    }
  }

  private async run(loop: LoopRun): Promise<void> {
    let failures = 0;
    while (!loop.stopped) {
      if (this.options.connection && !this.options.connection.connected) {
        // A publish sent while NATS is away waits out its whole timeout even if NATS returns
        // meanwhile: wait for the reconnection instead (it kicks the relay).
        this.waiters.releaseAll(); // nobody waits for a pass that cannot come soon
        await this.sleep(loop, 5_000);
        continue;
      }
      let more = false;
      this.lockedOut = false;
      try {
        ({ more } = await this.publishBatch((snapshotAfter) => this.waiters.release(snapshotAfter)));
        failures = 0;
      } catch (error) {
        failures = this.reconnected ? 1 : failures + 1;
        this.reconnected = false;
        // NATS or the database is away: the rows wait in the outbox; back off up to 5 s.
        if (failures === 1 || failures % 20 === 0)
          this.options.logger.warn({ err: error, failures }, 'outbox relay cannot publish yet');
      }
      this.failing = failures > 0;
      if (this.failing) this.waiters.releaseAll();
      if (more) continue;
      this.lockMisses = this.lockedOut ? this.lockMisses + 1 : 0;
      const idle = this.lockedOut
        ? Math.min(this.pollIntervalMs, LOCKED_RETRY_MS * 2 ** (this.lockMisses - 1))
        : this.pollIntervalMs;
      await this.sleep(loop, failures ? Math.min(5_000, 100 * 2 ** failures) : idle);
    }
  }

  private publishBatch(covered?: (snapshotAfter: number) => void): Promise<PassOutcome> {
    return publishOutboxBatch(this.options, this.batchSize, {
      covered,
      lockedOut: () => (this.lockedOut = true),
    });
  }

  private sleep(loop: LoopRun, ms: number): Promise<void> {
    // Stopped during a pass: no sleep (stop's wake-up came before this sleep began).
    if (loop.stopped) return Promise.resolve();
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.kicked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
