import { ServiceBusy } from '../../domain/purchase.errors.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { BuyProductCommand } from './buy-product.use-case.js';
import { BuyConcurrencyLimit, type BuyConcurrencyLimitSettings } from './buy-concurrency-limit.js';

export interface BuyAdmissionSettings extends BuyConcurrencyLimitSettings {
  /** How long a buy may wait for a place; then it is refused, never started. */
  maxWaitMs: number;
  retryAfterSeconds: number;
}

interface Waiting {
  admit(): void;
  timer: NodeJS.Timeout;
}

/**
 * Load shedding in front of BuyProduct: beyond capacity a buy is refused at once with
 * SERVICE_BUSY and `retryAfterSeconds`, before anything is reserved or charged, instead of
 * queueing until every buyer times out. Capacity is not a fixed count: BuyConcurrencyLimit
 * learns it from how long buys take. A buy that finds no place waits at most `maxWaitMs` (a
 * queue absorbs bursts, CoDel's reason for one), behind at most as many as may run.
 */
export class BuyAdmission {
  private running = 0;
  private readonly queue: Waiting[] = [];
  private readonly limit: BuyConcurrencyLimit;

  constructor(
    private readonly buy: { execute(command: BuyProductCommand): Promise<PurchaseView> },
    private readonly settings: BuyAdmissionSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limit = new BuyConcurrencyLimit(settings, now());
  }

  /**
   * What an operator's gauges read at scrape time: the learned limit, the buys running and those
   * waiting for a place — whether a shed buy met a low limit or a full one.
   */
  get reading(): { limit: number; running: number; waiting: number } {
    return { limit: this.limit.current, running: this.running, waiting: this.queue.length };
  }

  async execute(command: BuyProductCommand): Promise<PurchaseView> {
    if (this.running >= this.limit.current) await this.waitForPlace();
    else this.running++;
    this.limit.started(this.running);
    const startedAt = this.now();
    try {
      return await this.buy.execute(command);
    } finally {
      const endedAt = this.now();
      this.limit.finished(endedAt - startedAt, endedAt, this.running);
      this.passOnPlace();
    }
  }

  private waitForPlace(): Promise<void> {
    if (this.queue.length >= this.limit.current)
      return Promise.reject(new ServiceBusy(this.settings.retryAfterSeconds));
    return new Promise<void>((admit, refuse) => {
      const waiting: Waiting = {
        admit,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiting), 1);
          refuse(new ServiceBusy(this.settings.retryAfterSeconds));
        }, this.settings.maxWaitMs),
      };
      this.queue.push(waiting);
    });
  }

  /** The place passes to the next waiting buy, or to several if the limit grew, or none if it fell. */
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
