import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ChargeLookup,
  ChargeOutcome,
  ChargeRequest,
  PaymentProvider,
  RefundRequest,
} from '../../../application/ports/payment-provider.js';
import { PaymentProviderUnavailable } from '../../../domain/payment.errors.js';
import { InMemoryProviderLedger, type ProviderLedger, type SimulatedCharge } from './provider-ledger.js';

export type { SimulatedCharge } from './provider-ledger.js';

export interface SimulatedPaymentProviderOptions {
  latencyMs?: number;
  /** 0..1: the share of charges declined. */
  failureRate?: number;
  /** For deterministic tests; Math.random otherwise. */
  random?: () => number;
  /** Its books; in memory unless given (the payment service gives it durable ones). */
  ledger?: ProviderLedger;
}

/**
 * Stands in for a real payment provider, with the properties the rest of the system relies on:
 * it takes time, it sometimes declines, it can be down, it is idempotent (a charge by its key, a
 * refund by reference) like the real ones, and it keeps books of its own that can be looked up
 * by key. The fields are public so tests and load drills can change its behaviour while it runs.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  latencyMs: number;
  failureRate: number;
  /** While true every call fails with PaymentProviderUnavailable. */
  outage = false;
  private readonly random: () => number;
  private ledger: ProviderLedger;
  /** Charges in flight, by idempotency key, so concurrent retries with one key share one charge. */
  private readonly inFlight = new Map<string, Promise<ChargeOutcome>>();
  /** The charges this process approved, by reference (what the synchronous test helpers read). */
  private readonly approvedHere = new Map<string, SimulatedCharge>();

  constructor(options: SimulatedPaymentProviderOptions = {}) {
    this.latencyMs = options.latencyMs ?? 30;
    this.failureRate = options.failureRate ?? 0;
    this.random = options.random ?? Math.random;
    this.ledger = options.ledger ?? new InMemoryProviderLedger();
  }

  /** Moves its books to `ledger` (the payment service hands a provider made by a test its database). */
  keepBooksIn(ledger: ProviderLedger): void {
    this.ledger = ledger;
  }

  charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.outage) return Promise.reject(new PaymentProviderUnavailable());
    let outcome = this.inFlight.get(request.idempotencyKey);
    if (!outcome) {
      outcome = this.decide(request);
      this.inFlight.set(request.idempotencyKey, outcome);
      void outcome.then(
        () => this.inFlight.delete(request.idempotencyKey),
        () => this.inFlight.delete(request.idempotencyKey),
      );
    }
    return answeredBy(outcome, request.deadline);
  }

  async refund(request: RefundRequest): Promise<void> {
    if (this.outage) throw new PaymentProviderUnavailable();
    await sleep(this.latencyMs);
    await this.ledger.markRefunded(request.providerReference, new Date());
    const charge = this.approvedHere.get(request.providerReference);
    if (charge) charge.refunded = true;
  }

  async lookup(idempotencyKey: string): Promise<ChargeLookup> {
    if (this.outage) throw new PaymentProviderUnavailable();
    const held = await this.ledger.findByKey(idempotencyKey);
    return held ? { charged: true, providerReference: held.providerReference } : { charged: false };
  }

  /** The approved charge this process made under this idempotency key (the purchase id), if any. */
  chargeFor(idempotencyKey: string): SimulatedCharge | undefined {
    return [...this.approvedHere.values()].find((charge) => charge.idempotencyKey === idempotencyKey);
  }

  /** How many charges this process approved in total, refunded or not. */
  get chargeCount(): number {
    return this.approvedHere.size;
  }

  private async decide(request: ChargeRequest): Promise<ChargeOutcome> {
    await sleep(this.latencyMs);
    if (this.outage) throw new PaymentProviderUnavailable();
    if (this.random() < this.failureRate) {
      // A key charged before (even by a process that has since restarted) stays charged.
      const held = await this.ledger.findByKey(request.idempotencyKey);
      if (held) return { approved: true, providerReference: held.providerReference };
      return { approved: false, reason: 'DECLINED_BY_ISSUER' };
    }
    // Recorded unless the books already hold this key: then its first charge is the answer. Past
    // its deadline a charge is refused, as a PG refuses an expired order: the caller has stopped
    // waiting, and its reconciler will trust the books' "not charged". The booking itself checks
    // it, so a booking slow to be written cannot land after it.
    const charge = await this.ledger.record(
      {
        idempotencyKey: request.idempotencyKey,
        providerReference: `sim_${randomUUID()}`,
        buyerId: request.buyerId,
        amountKrw: request.amountKrw,
        chargedAt: new Date(),
        refunded: false,
      },
      request.deadline,
    );
    if (!charge) throw new PaymentProviderUnavailable();
    this.approvedHere.set(charge.providerReference, { ...charge });
    return { approved: true, providerReference: charge.providerReference };
  }
}

/** `outcome`, or PaymentProviderUnavailable once `deadline` has passed (the call timed out). */
async function answeredBy<T>(outcome: Promise<T>, deadline: Date): Promise<T> {
  const timeout = new AbortController();
  const timedOut = sleep(Math.max(0, deadline.getTime() - Date.now()), undefined, {
    signal: timeout.signal,
  }).then(() => Promise.reject(new PaymentProviderUnavailable()));
  timedOut.catch(() => undefined); // aborted once the outcome came first
  try {
    return await Promise.race([outcome, timedOut]);
  } finally {
    timeout.abort();
  }
}
