import { randomUUID } from 'node:crypto';
import { BUY, callApi, CANCEL, REGISTER, type Member } from './api-client.js';

/** One client intent and what the client was told. */
export interface Intent {
  kind: 'buy' | 'cancel' | 'register';
  key: string;
  memberId: string;
  productId?: string;
  purchaseId?: string;
  startedAt: Date;
  endedAt?: Date;
  /** 'OK' or the code the client saw. */
  outcome?: string;
  /** Shed (SERVICE_BUSY) and tried again after its retryAfterSeconds, as a new intent. */
  triedAgain?: boolean;
}

export interface LoadOptions {
  gatewayUrl: string;
  seller: Member;
  buyers: Member[];
  buysPerSecond: number;
  /** Share of successful buys that are cancelled a moment later. */
  cancelShare: number;
  /** Products registered before the load starts (and kept topped up). */
  stock: number;
  /**
   * Fewer available than this and `stock / 2` more are listed (8 at a time) while the load runs:
   * a burst of registrations beside the buys. Default `stock / 2`; a drill that means "a steady N
   * buys/s" lists all it needs before it starts and sets this low, so no burst joins the buys.
   */
  restockBelow?: number;
  /** At most this many requests in flight; a tick beyond it is skipped (and counted). */
  maxInFlight?: number;
  /**
   * How many times a buy refused with SERVICE_BUSY is tried again, as a buyer told "busy, try
   * again in a moment" does (the web client invites it). Each wait is at least the
   * retryAfterSeconds given, doubled per try and spread by a random share of itself — exponential
   * backoff with jitter, so shed buys do not come back together as one wave at the moment the
   * system is still busiest (SRE book, "Handling Overload"). 0 (the default): a shed buy is the
   * client's last word.
   */
  retryShedBuys?: number;
}

/**
 * A steady buy/cancel load: buyers buy products the seller keeps listing, a share of the buys is
 * cancelled (the product goes back on sale and is bought again later). Every intent carries its
 * own Idempotency-Key and every client-visible outcome is recorded, so a run can be checked
 * against the stores afterwards. Bounded: it runs until `stop()`.
 */
export class BuyCancelLoad {
  readonly intents: Intent[] = [];
  skippedTicks = 0;
  private readonly available: string[] = [];
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private restocking = false;
  private readonly pending = new Set<Promise<unknown>>();
  private tick = 0;

  constructor(private readonly options: LoadOptions) {}

  /** Lists the first stock and waits until purchase can sell it (it learns of products by event). */
  async prepare(): Promise<void> {
    await this.restock(this.options.stock);
  }

  start(): void {
    this.timer = setInterval(() => this.buyOne(), 1000 / this.options.buysPerSecond);
  }

  /** Stops starting intents and waits for those in flight (a cancel waiting its turn included). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Intents started in [from, until), by kind and outcome. */
  between(from: number, until: number): Intent[] {
    return this.intents.filter((i) => i.startedAt.getTime() >= from && i.startedAt.getTime() < until);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  private buyOne(): void {
    if (this.available.length < (this.options.restockBelow ?? this.options.stock / 2))
      void this.track(this.restock(this.options.stock / 2));
    const productId = this.available.shift();
    if (!productId || this.inFlight >= (this.options.maxInFlight ?? 64)) {
      if (productId) this.available.unshift(productId);
      this.skippedTicks += 1;
      return;
    }
    const buyer = this.options.buyers[this.tick++ % this.options.buyers.length]!;
    void this.track(this.buy(buyer, productId));
  }

  private async buy(buyer: Member, productId: string, shedBefore = 0): Promise<void> {
    const intent = this.begin('buy', buyer, productId);
    const answer = await this.send<{ buy: { id: string; status: string } }>(
      BUY,
      { id: productId },
      buyer,
      intent.key,
    );
    this.end(intent, answer.data ? 'OK' : answer.code!);
    if (answer.code === 'SERVICE_BUSY' && shedBefore < (this.options.retryShedBuys ?? 0)) {
      // Refused before anything was reserved or charged: the same buy again, under a new key.
      intent.triedAgain = true;
      const backoffMs = (answer.retryAfterSeconds ?? 1) * 1_000 * 2 ** shedBefore * (1 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      return this.buy(buyer, productId, shedBefore + 1);
    }
    // Shed for good: nothing was reserved, so the product is still on sale for the next buyer.
    if (answer.code === 'SERVICE_BUSY') this.available.push(productId);
    if (!answer.data) return;
    intent.purchaseId = answer.data.buy.id;
    // A deal the product withdrew before the buy decided is answered CANCELLED already: nothing to cancel.
    if (answer.data.buy.status !== 'PAID' || Math.random() >= this.options.cancelShare) return;
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1_000));
    const cancel = this.begin('cancel', buyer, productId);
    cancel.purchaseId = intent.purchaseId;
    const cancelled = await this.send(CANCEL, { id: intent.purchaseId }, buyer, cancel.key);
    this.end(cancel, cancelled.data ? 'OK' : cancelled.code!);
    // Back on sale once product hears of the refund; offered again a little later.
    if (cancelled.data) setTimeout(() => this.available.push(productId), 3_000).unref();
  }

  private async restock(count: number): Promise<void> {
    if (this.restocking) return;
    this.restocking = true;
    try {
      const listed: string[] = [];
      for (let start = 0; start < count; start += 8) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(8, count - start) }, async () => {
            const intent = this.begin('register', this.options.seller);
            const answer = await this.send<{ registerProduct: { id: string } }>(
              REGISTER,
              {
                input: { title: `Chaos item ${this.intents.length}`, description: 'Used', priceKrw: 10_000 },
              },
              this.options.seller,
              intent.key,
            );
            this.end(intent, answer.data ? 'OK' : answer.code!);
            if (answer.data) intent.productId = answer.data.registerProduct.id;
            return answer.data?.registerProduct.id;
          }),
        );
        listed.push(...batch.filter((id): id is string => id !== undefined));
      }
      // Purchase sells what it has heard of: give ProductRegistered a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      this.available.push(...listed);
    } finally {
      this.restocking = false;
    }
  }

  private begin(kind: Intent['kind'], member: Member, productId?: string): Intent {
    const intent: Intent = { kind, key: randomUUID(), memberId: member.id, productId, startedAt: new Date() };
    this.intents.push(intent);
    return intent;
  }

  private end(intent: Intent, outcome: string): void {
    intent.outcome = outcome;
    intent.endedAt = new Date();
  }

  private async send<T>(query: string, variables: Record<string, unknown>, member: Member, key: string) {
    this.inFlight += 1;
    try {
      return await callApi<T>(this.options.gatewayUrl, query, variables, {
        token: member.token,
        idempotencyKey: key,
      });
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** Requests by kind and outcome, for the printed summary. */
export function summarize(intents: Intent[]): Record<string, Record<string, number>> {
  const summary: Record<string, Record<string, number>> = {};
  for (const intent of intents) {
    const byOutcome = (summary[intent.kind] ??= {});
    byOutcome[intent.outcome ?? 'IN_FLIGHT'] = (byOutcome[intent.outcome ?? 'IN_FLIGHT'] ?? 0) + 1;
  }
  return summary;
}
