import {
  EventsExpired,
  type OnEntries,
  type OrderedStream,
  type StreamEntry,
  type StreamExtent,
  type StreamFollower,
} from '@gaji/platform/events';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';

/**
 * The stream as the fan-out sees it (the platform reader's interface), kept in memory for unit
 * tests; the reader itself is tested against real JetStream (packages/platform/test).
 */
export class InMemoryStream implements OrderedStream {
  private readonly entries: StreamEntry[] = [];
  /** Sequences below this one were removed by the stream's limits. */
  private firstSeq = 1;
  private readonly followers = new Set<{ next: number; onEntries: OnEntries }>();
  readonly reads: { from: number; until: number }[] = [];

  /** Appends events (or a contract-breaking message, as null) and hands them to every follower. */
  async append(...events: (StreamEvent['event'] | null)[]): Promise<void> {
    for (const event of events) this.entries.push({ seq: this.entries.length + 1, event });
    for (const follower of this.followers) await this.catchUp(follower);
  }

  /** Removes the entries before `firstSeq`, as a stream's age or size limit would. */
  expireBefore(firstSeq: number): void {
    this.firstSeq = firstSeq;
  }

  async extent(): Promise<StreamExtent> {
    const lastSeq = this.entries.length;
    return { messages: lastSeq - this.firstSeq + 1, firstSeq: this.firstSeq, lastSeq };
  }

  async read(from: number, until: number, onEntries: OnEntries, signal?: AbortSignal): Promise<void> {
    this.reads.push({ from, until });
    if (from < this.firstSeq) throw new EventsExpired(from, this.firstSeq);
    const wanted = this.entries.filter((entry) => entry.seq >= from && entry.seq <= until);
    if (wanted.length > 0 && !signal?.aborted) await onEntries(wanted);
  }

  follow(from: number, onEntries: OnEntries): StreamFollower {
    const follower = { next: from, onEntries };
    this.followers.add(follower);
    void this.catchUp(follower);
    return {
      get position() {
        return follower.next - 1;
      },
      running: true,
      stop: async () => {
        this.followers.delete(follower);
      },
    };
  }

  private async catchUp(follower: { next: number; onEntries: OnEntries }): Promise<void> {
    const fresh = this.entries.filter((entry) => entry.seq >= follower.next);
    if (fresh.length === 0) return;
    follower.next = fresh.at(-1)!.seq + 1;
    await follower.onEntries(fresh);
  }
}
