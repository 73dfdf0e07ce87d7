/** What a follower's watchdog concludes at a check. */
export type FollowerVerdict = 'fine' | 'slow-handler' | 'stalled';

/**
 * Notices a stream follower that has stopped moving while the stream holds entries past it: its
 * consumer neither delivers nor fails (seen under CPU starvation after missed heartbeats: a My
 * Page replica stayed behind for minutes, with one warning, until it was restarted). Progress is
 * an entry handed over, or nothing left to hand over. A batch still in its handler is not a stall
 * of the consumer (the handler may be slow, and cannot be interrupted safely): that is reported
 * apart. Pure bookkeeping; the follower reads the stream's end and acts on the verdict.
 */
export class FollowerWatchdog {
  private progressAt: number;
  private handingSince: number | null = null;
  private slowReported = false;

  constructor(
    private readonly stallAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.progressAt = now();
  }

  /** A batch went to the handler. */
  handing(): void {
    this.handingSince = this.now();
    this.slowReported = false;
  }

  /** The handler settled (returned or threw). */
  settled(): void {
    this.handingSince = null;
  }

  /** The batch was handed over for good: progress. */
  handedOver(): void {
    this.progressAt = this.now();
  }

  /**
   * The stream's end could not be read (NATS away): no verdict, and the stall period starts over,
   * so a follower waiting for NATS to return is given its full period once it has.
   */
  unseen(): void {
    this.progressAt = this.now();
  }

  /**
   * The verdict, given the follower's position and the stream's last sequence now. `stalled` at
   * most once per stall period (the follower restarts its consumer and gets that long again);
   * `slow-handler` once per batch.
   */
  check(position: number, lastSeq: number): FollowerVerdict {
    const now = this.now();
    if (this.handingSince !== null) {
      if (this.slowReported || now - this.handingSince < this.stallAfterMs) return 'fine';
      this.slowReported = true;
      return 'slow-handler';
    }
    if (lastSeq <= position || now - this.progressAt < this.stallAfterMs) {
      if (lastSeq <= position) this.progressAt = now;
      return 'fine';
    }
    this.progressAt = now;
    return 'stalled';
  }
}
