import { describe, expect, it } from 'vitest';
import { directUnitOfWork, fixedClock } from '@gaji/testkit';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { InMemoryProducts, InMemoryPurchases, ScriptedPayments } from './in-memory-adapters.js';
import { Admission, type AdmissionSettings } from '@gaji/platform/admission';
import { BuyAdmission } from '../../src/application/buy-product/buy-admission.js';
import type { BuyProductCommand } from '../../src/application/buy-product/buy-product.use-case.js';
import type { PurchaseView } from '../../src/application/ports/purchase-directory.js';
import { ServiceBusy } from '../../src/domain/purchase.errors.js';

/** A BuyProduct stand-in whose buys finish only when the test says so. */
function heldBuys() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  return {
    started,
    finish: (productId: string) => finish.get(productId)!(),
    decidedEarlier: () => Promise.resolve(null),
    execute: (command: BuyProductCommand) =>
      new Promise<PurchaseView>((resolve) => {
        started.push(command.productId);
        finish.set(command.productId, () => resolve({ id: `purchase-${command.productId}` } as PurchaseView));
      }),
  };
}

const buy = (productId: string) => ({ productId, buyerId: 'buyer' });
type Settings = AdmissionSettings & { retryAfterSeconds: number };
const settings = (overrides: Partial<Settings>): Settings => ({
  maxInFlight: 32,
  minInFlight: 1,
  latencyTargetMs: 60_000,
  maxWaitMs: 60_000,
  retryAfterSeconds: 1,
  ...overrides,
});
/** Purchase's admission as wired: the platform's Admission in front of the buys. */
const admitting = (
  buying: ConstructorParameters<typeof BuyAdmission>[0],
  given: Settings,
  now?: () => number,
) => new BuyAdmission(buying, new Admission(given, now), given.retryAfterSeconds);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('buy admission (load shedding)', () => {
  it('beyond the buys in flight and as many waiting, a buy is refused at once with SERVICE_BUSY and retryAfterSeconds', async () => {
    const inner = heldBuys();
    const admission = admitting(inner, settings({ maxInFlight: 2, retryAfterSeconds: 3 }));
    const first = admission.execute(buy('a'));
    const second = admission.execute(buy('b'));
    const waiting = admission.execute(buy('c'));
    const waitingToo = admission.execute(buy('d'));
    const refused = await admission.execute(buy('e')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceBusy);
    expect(refused).toMatchObject({ code: 'SERVICE_BUSY', details: { retryAfterSeconds: 3 } });
    await tick();
    expect(inner.started).toEqual(['a', 'b']); // the refused buy never started

    inner.finish('a');
    await first;
    await tick();
    expect(inner.started).toEqual(['a', 'b', 'c']); // the waiting buy took the freed place
    inner.finish('b');
    inner.finish('c');
    await tick();
    inner.finish('d');
    await expect(Promise.all([second, waiting, waitingToo])).resolves.toHaveLength(3);
  });

  it('a buy that finds no place within maxWaitMs is refused with SERVICE_BUSY and never starts', async () => {
    const inner = heldBuys();
    const admission = admitting(inner, settings({ maxInFlight: 1, maxWaitMs: 20 }));
    const first = admission.execute(buy('a'));
    const startedWaiting = performance.now();
    const refused = await admission.execute(buy('b')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceBusy);
    expect(performance.now() - startedWaiting).toBeGreaterThanOrEqual(15);
    inner.finish('a');
    await first;
    await tick();
    expect(inner.started).toEqual(['a']); // its place did not go to the refused buy
    const third = admission.execute(buy('c'));
    await tick();
    expect(inner.started).toEqual(['a', 'c']);
    inner.finish('c');
    await third;
  });

  it('when buys take longer than the target, fewer are let in at once and the rest refused', async () => {
    let now = 0;
    const inner = heldBuys();
    const admission = admitting(
      inner,
      settings({ maxInFlight: 8, minInFlight: 2, latencyTargetMs: 100, maxWaitMs: 10 }),
      () => now,
    );
    const slow = ['a', 'b', 'c', 'd', 'e'].map((id) => admission.execute(buy(id)));
    await tick();
    now = 400; // each took four times the target: the limit halves (the most one window cuts)
    for (const id of ['a', 'b', 'c', 'd', 'e']) inner.finish(id);
    await Promise.all(slow);

    const running = ['f', 'g', 'h', 'i'].map((id) => admission.execute(buy(id)));
    const refused = await Promise.all(
      ['j', 'k', 'l', 'm', 'n'].map((id) => admission.execute(buy(id)).catch((error: unknown) => error)),
    );
    expect(refused.every((error) => error instanceof ServiceBusy)).toBe(true);
    await tick();
    expect(inner.started.slice(5)).toEqual(['f', 'g', 'h', 'i']);
    for (const id of ['f', 'g', 'h', 'i']) inner.finish(id);
    await Promise.all(running);
  });

  it('a buy that fails frees its place for the next one', async () => {
    const failing = {
      execute: () => Promise.reject(new Error('payment exploded')),
      decidedEarlier: () => Promise.resolve(null),
    };
    const admission = admitting(failing, settings({ maxInFlight: 1 }));
    await expect(admission.execute(buy('a'))).rejects.toThrow('payment exploded');
    await expect(admission.execute(buy('b'))).rejects.toThrow('payment exploded');
  });

  it('full, it still answers a retry of a buy already decided under its key with the outcome, and refuses an undecided one', async () => {
    const products = new InMemoryProducts();
    const purchases = new InMemoryPurchases(products);
    for (const id of ['p-1', 'p-2', 'p-3'])
      products.rows.set(id, { id, sellerId: 'seller', title: id, priceKrw: 50_000, deleted: false });
    let n = 0;
    let holdPayment = false;
    const scripted = new ScriptedPayments();
    const payments = {
      authorize: (request: Parameters<ScriptedPayments['authorize']>[0]) =>
        holdPayment ? new Promise<never>(() => undefined) : scripted.authorize(request),
    };
    const buyProduct = new BuyProduct({
      purchases,
      products,
      payments,
      uow: directUnitOfWork,
      clock: fixedClock('2026-12-01T08:00:00Z'),
      newId: () => `purchase-${++n}`,
    });
    const admission = admitting(buyProduct, settings({ maxInFlight: 1, maxWaitMs: 0 }));
    const paid = await admission.execute({ productId: 'p-1', buyerId: 'buyer', idempotencyKey: 'k-1' });

    holdPayment = true;
    void admission.execute({ productId: 'p-2', buyerId: 'other' }); // holds the one place
    await tick();
    const retried = await admission.execute({ productId: 'p-1', buyerId: 'buyer', idempotencyKey: 'k-1' });
    expect(retried).toEqual(paid);
    const fresh = await admission
      .execute({ productId: 'p-3', buyerId: 'buyer', idempotencyKey: 'k-3' })
      .catch((error: unknown) => error);
    expect(fresh).toBeInstanceOf(ServiceBusy);
    expect(scripted.requests).toHaveLength(1); // the retry was answered, never charged again
  });
});
