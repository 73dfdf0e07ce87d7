import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ChargeOutcome,
  ChargeRequest,
  PaymentProvider,
  RefundRequest,
} from '../../../application/ports/payment-provider.js';
import { PaymentProviderUnavailable } from '../../../domain/payment.errors.js';

export interface SimulatedCharge {
  idempotencyKey: string;
  providerReference: string;
  amountKrw: number;
  refunded: boolean;
}

export interface SimulatedPaymentProviderOptions {
  latencyMs?: number;
  /** 0..1: the share of charges declined. */
  failureRate?: number;
  /** For deterministic tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * Stands in for a real payment provider, with the properties the rest of the system relies on:
 * it takes time, it sometimes declines, it can be down, and it is idempotent (a charge by its
 * key, a refund by reference) like the real ones. The fields are public so tests and load
 * drills can change its behaviour while the service runs.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  latencyMs: number;
  failureRate: number;
  /** While true every call fails with PaymentProviderUnavailable. */
  outage = false;
  private readonly random: () => number;
  /** Charges in flight or approved, by idempotency key. */
  private readonly charges = new Map<string, Promise<ChargeOutcome>>();
  /** Approved charges by reference: what the provider's books would say. */
  private readonly ledger = new Map<string, SimulatedCharge>();

  constructor(options: SimulatedPaymentProviderOptions = {}) {
    this.latencyMs = options.latencyMs ?? 30;
    this.failureRate = options.failureRate ?? 0;
    this.random = options.random ?? Math.random;
  }

  charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.outage) return Promise.reject(new PaymentProviderUnavailable());
    // Kept from the first call on, so concurrent retries with one key share one charge.
    let outcome = this.charges.get(request.idempotencyKey);
    if (!outcome) {
      outcome = this.decide(request);
      this.charges.set(request.idempotencyKey, outcome);
      // A decline or failure is not a charge: the same key may be tried again.
      void outcome.then(
        (result) => result.approved || this.charges.delete(request.idempotencyKey),
        () => this.charges.delete(request.idempotencyKey),
      );
    }
    return outcome;
  }

  async refund(request: RefundRequest): Promise<void> {
    if (this.outage) throw new PaymentProviderUnavailable();
    await sleep(this.latencyMs);
    const charge = this.ledger.get(request.providerReference);
    if (charge) charge.refunded = true;
  }

  /** The approved charge made under this idempotency key (the purchase id), if any. */
  chargeFor(idempotencyKey: string): SimulatedCharge | undefined {
    return [...this.ledger.values()].find((charge) => charge.idempotencyKey === idempotencyKey);
  }

  /** How many charges were approved in total, refunded or not. */
  get chargeCount(): number {
    return this.ledger.size;
  }

  private async decide(request: ChargeRequest): Promise<ChargeOutcome> {
    await sleep(this.latencyMs);
    if (this.outage) throw new PaymentProviderUnavailable();
    if (this.random() < this.failureRate) return { approved: false, reason: 'DECLINED_BY_ISSUER' };
    const providerReference = `sim_${randomUUID()}`;
    this.ledger.set(providerReference, {
      idempotencyKey: request.idempotencyKey,
      providerReference,
      amountKrw: request.amountKrw,
      refunded: false,
    });
    return { approved: true, providerReference };
  }
}
