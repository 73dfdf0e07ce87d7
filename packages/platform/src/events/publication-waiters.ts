import { within } from '../lifecycle/within.js';

/**
 * How a wait for a commit's events ended (`OutboxRelay.published`): they are on the stream, the
 * deadline came first, or the relay could not publish (stopped, NATS away, backing off after a
 * failure), whether it could not when asked or stopped being able to meanwhile.
 */
export type WaitForPublication = 'published' | 'deadline' | 'relay_down';

/** Who waits for the events of a commit (`published`): when it committed, and how to let it go. */
interface Waiter {
  committedAt: number;
  done: (outcome: WaitForPublication) => void;
}

/**
 * The relay's bookkeeping for `OutboxRelay.published`, apart from its publishing pass: who waits
 * for which commit, and the moment before which every commit is known to be on the stream. The
 * relay decides when to let them go; this only remembers and answers.
 */
export class PublicationWaiters {
  private readonly waiters = new Set<Waiter>();
  /** The latest pass that put every row it saw on the stream saw every commit before this moment. */
  private coveredSince = -Infinity;

  /** Resolves when a pass covers `committedAt` (`release`), at `releaseAll`, or after `withinMs`. */
  async wait(committedAt: number, withinMs: number): Promise<WaitForPublication> {
    if (committedAt < this.coveredSince) return 'published'; // before anyone asked
    let waiter: Waiter | undefined;
    const released = new Promise<WaitForPublication>((done) =>
      this.waiters.add((waiter = { committedAt, done })),
    );
    try {
      return await within(released, withinMs, 'deadline' as const);
    } finally {
      this.waiters.delete(waiter!);
    }
  }

  /**
   * Lets go whoever waits for a commit acknowledged before `snapshotAfter`: a moment before the
   * pass's snapshot was taken, so it saw every such commit (`published`).
   */
  release(snapshotAfter: number): void {
    this.coveredSince = snapshotAfter;
    for (const waiter of this.waiters) if (waiter.committedAt < snapshotAfter) waiter.done('published');
  }

  /** Nothing will go out soon: nobody waits for it (`published`). */
  releaseAll(): void {
    for (const waiter of this.waiters) waiter.done('relay_down');
  }
}
