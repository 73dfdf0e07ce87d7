import { describe, expect, it } from 'vitest';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  InMemoryProviderLedger,
  type ProviderLedger,
} from '../../src/adapters/outbound/provider/provider-ledger.js';
import { SimulatedPaymentProvider } from '../../src/adapters/outbound/provider/simulated-payment.provider.js';
import { PaymentProviderUnavailable } from '../../src/domain/payment.errors.js';

const request = {
  ...{ idempotencyKey: 'pu-1', buyerId: 'buyer', amountKrw: 15_000 },
  deadline: new Date(Date.now() + 60_000),
};

/**
 * Books that tell when the provider reaches them: `reached` once it starts to write the charge,
 * `written` once that write has answered. `delayMs` holds the write from before a deadline until
 * after it, as a wait for a connection or a lock would.
 */
function watchedBooks(delayMs = 0) {
  const books = new InMemoryProviderLedger();
  let reached = false;
  let written!: () => void;
  const writing = new Promise<void>((resolve) => (written = resolve));
  const ledger: ProviderLedger = {
    findByKey: (key) => books.findByKey(key),
    markRefunded: (reference) => books.markRefunded(reference),
    record: async (...args: Parameters<ProviderLedger['record']>) => {
      reached = true;
      try {
        if (delayMs > 0) await sleep(delayMs);
        return await books.record(...args);
      } finally {
        written();
      }
    },
  };
  return {
    ledger,
    reached: () => reached,
    /** The write has answered and the provider has acted on its answer (one turn later). */
    settled: () => writing.then(() => nextTurn()),
  };
}

describe('SimulatedPaymentProvider', () => {
  it('charges once per idempotency key, even when asked concurrently', async () => {
    const provider = new SimulatedPaymentProvider({ latencyMs: 5 });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => provider.charge(request)));
    expect(new Set(outcomes.map((outcome) => JSON.stringify(outcome))).size).toBe(1);
    expect(provider.chargeCount).toBe(1);
    expect(provider.chargeFor('pu-1')).toMatchObject({ amountKrw: 15_000, refunded: false });
  });

  it('declines the share of charges set by its failure rate, and a declined key may be tried again', async () => {
    const rolls = [0.1, 0.9];
    const provider = new SimulatedPaymentProvider({
      latencyMs: 0,
      failureRate: 0.5,
      random: () => rolls.shift() ?? 0.9,
    });
    expect(await provider.charge(request)).toEqual({ approved: false, reason: 'DECLINED_BY_ISSUER' });
    expect(await provider.charge(request)).toMatchObject({ approved: true });
    expect(provider.chargeCount).toBe(1);
  });

  it('during an outage refuses charges and refunds with PAYMENT_PROVIDER_UNAVAILABLE', async () => {
    const provider = new SimulatedPaymentProvider({ latencyMs: 0 });
    provider.outage = true;
    await expect(provider.charge(request)).rejects.toThrow(PaymentProviderUnavailable);
    await expect(provider.refund({ providerReference: 'x', amountKrw: 1 })).rejects.toThrow(
      PaymentProviderUnavailable,
    );
    provider.outage = false;
    expect(await provider.charge(request)).toMatchObject({ approved: true });
  });

  it('a charge slower than its deadline is answered PAYMENT_PROVIDER_UNAVAILABLE at the deadline and never booked after it', async () => {
    const books = watchedBooks();
    const provider = new SimulatedPaymentProvider({ latencyMs: 200, ledger: books.ledger });
    const deadline = new Date(Date.now() + 50);
    await expect(provider.charge({ ...request, deadline })).rejects.toThrow(PaymentProviderUnavailable);
    // Answered at the deadline, while the provider was still taking its time: it had not yet come
    // to book the charge (timers fire in the order they are due, however late the machine is).
    expect(books.reached()).toBe(false);
    await books.settled(); // the provider has finished
    expect(await provider.lookup('pu-1')).toEqual({ charged: false });
    expect(provider.chargeCount).toBe(0);
  });

  it('a charge whose booking is still being written at its deadline is not booked after it', async () => {
    // A write that waits (for a connection, a lock) from before the deadline until after it.
    const books = watchedBooks(200);
    const provider = new SimulatedPaymentProvider({ latencyMs: 0, ledger: books.ledger });
    const deadline = new Date(Date.now() + 50);
    await expect(provider.charge({ ...request, deadline })).rejects.toThrow(PaymentProviderUnavailable);
    expect(books.reached()).toBe(true);
    await books.settled(); // the booking has finished

    expect(await provider.lookup('pu-1')).toEqual({ charged: false });
    expect(provider.chargeCount).toBe(0);
  });

  it('a refund marks the charge refunded', async () => {
    const provider = new SimulatedPaymentProvider({ latencyMs: 0 });
    const outcome = await provider.charge(request);
    if (!outcome.approved) throw new Error('expected approval');
    await provider.refund({ providerReference: outcome.providerReference, amountKrw: 15_000 });
    expect(provider.chargeFor('pu-1')?.refunded).toBe(true);
  });
});
