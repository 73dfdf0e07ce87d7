import { ServiceBusy } from '../../domain/purchase.errors.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { BuyProductCommand } from './buy-product.use-case.js';

export interface BuyAdmissionLimits {
  /** Buys running at once (each holds a database connection and a payment call). */
  inFlight: number;
  /** Buys waiting for a place; past this, a buy is refused at once. */
  waiting: number;
  retryAfterSeconds: number;
}

/**
 * Load shedding in front of BuyProduct: beyond capacity a buy is refused at once with
 * SERVICE_BUSY and `retryAfterSeconds`, before anything is reserved or charged, instead of
 * queueing without bound until every buyer times out. A waiting buy starts as soon as one ends.
 */
export class BuyAdmission {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly buy: { execute(command: BuyProductCommand): Promise<PurchaseView> },
    private readonly limits: BuyAdmissionLimits,
  ) {}

  async execute(command: BuyProductCommand): Promise<PurchaseView> {
    if (this.running >= this.limits.inFlight) {
      if (this.queue.length >= this.limits.waiting) throw new ServiceBusy(this.limits.retryAfterSeconds);
      await new Promise<void>((admit) => this.queue.push(admit));
    } else {
      this.running++;
    }
    try {
      return await this.buy.execute(command);
    } finally {
      // The place passes straight to the next waiting buy, or is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
