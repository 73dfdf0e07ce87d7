import { ConcurrencyLimit, type ConcurrencyLimitSettings } from './concurrency-limit.js';

export interface AdmissionSettings extends ConcurrencyLimitSettings {
  /** How long a request may wait for a place; then it is refused, never started. */
  maxWaitMs: number;
}

/** A place held: give it back once the work is done (paid, refused or failed); again is harmless. */
export type Leave = () => void;

interface Waiting {
  admit(): void;
  timer: NodeJS.Timeout;
}

/**
 * Load shedding (docs/decisions/0013): beyond capacity a request is refused at once instead of
 * queueing until every caller times out. Capacity is not a fixed count: ConcurrencyLimit learns
 * it from how long the admitted requests take. A request that finds no place waits at most
 * `maxWaitMs` (a queue absorbs bursts, CoDel's reason for one), behind at most as many as may run.
 *
 * `enter` answers a place or null (refused); the caller says what a refusal is (purchase's
 * ServiceBusy, the gateway's SERVICE_BUSY GraphQL error), so the rule is the same in both.
 */
export class Admission {
  private running = 0;
  private readonly queue: Waiting[] = [];
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly settings: AdmissionSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limit = new ConcurrencyLimit(settings, now());
  }

  async enter(): Promise<Leave | null> {
    if (this.running < this.limit.current) this.running++;
    else if (!(await this.waitForPlace())) return null;
    this.limit.started(this.running);
    const startedAt = this.now();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const endedAt = this.now();
      this.limit.finished(endedAt - startedAt, endedAt, this.running);
      this.passOnPlace();
    };
  }

  /** True once a place passed to it, false when none did within maxWaitMs or too many wait. */
  private waitForPlace(): Promise<boolean> {
    if (this.queue.length >= this.limit.current) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiting: Waiting = {
        admit: () => resolve(true),
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiting), 1);
          resolve(false);
        }, this.settings.maxWaitMs),
      };
      this.queue.push(waiting);
    });
  }

  /** The place passes to the next waiting request, or to several if the limit grew, or none if it fell. */
  private passOnPlace(): void {
    this.running--;
    while (this.running < this.limit.current && this.queue.length > 0) {
      const next = this.queue.shift()!;
      clearTimeout(next.timer);
      this.running++;
      next.admit();
    }
  }
}
