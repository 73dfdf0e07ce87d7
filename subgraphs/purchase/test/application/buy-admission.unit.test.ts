import { describe, expect, it } from 'vitest';
import { BuyAdmission, type BuyAdmissionSettings } from '../../src/application/buy-product/buy-admission.js';
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
    execute: (command: BuyProductCommand) =>
      new Promise<PurchaseView>((resolve) => {
        started.push(command.productId);
        finish.set(command.productId, () => resolve({ id: `purchase-${command.productId}` } as PurchaseView));
      }),
  };
}

const buy = (productId: string) => ({ productId, buyerId: 'buyer' });
const settings = (overrides: Partial<BuyAdmissionSettings>): BuyAdmissionSettings => ({
  maxInFlight: 32,
  minInFlight: 1,
  latencyTargetMs: 60_000,
  maxWaitMs: 60_000,
  retryAfterSeconds: 1,
  ...overrides,
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('buy admission (load shedding)', () => {
  it('reads out its limit, the buys running and those waiting, for the gauges', async () => {
    const inner = heldBuys();
    const admission = new BuyAdmission(inner, settings({ maxInFlight: 2 }));
    expect(admission.reading).toEqual({ limit: 2, running: 0, waiting: 0 });
    const bought = ['a', 'b', 'c'].map((id) => admission.execute(buy(id)));
    await tick();
    expect(admission.reading).toEqual({ limit: 2, running: 2, waiting: 1 });
    inner.finish('a');
    await tick();
    expect(admission.reading).toEqual({ limit: 2, running: 2, waiting: 0 });
    inner.finish('b');
    inner.finish('c');
    await Promise.all(bought);
    expect(admission.reading).toEqual({ limit: 2, running: 0, waiting: 0 });
  });

  it('beyond the buys in flight and as many waiting, a buy is refused at once with SERVICE_BUSY and retryAfterSeconds', async () => {
    const inner = heldBuys();
    const admission = new BuyAdmission(inner, settings({ maxInFlight: 2, retryAfterSeconds: 3 }));
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
    const admission = new BuyAdmission(inner, settings({ maxInFlight: 1, maxWaitMs: 20 }));
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
    const admission = new BuyAdmission(
      inner,
      settings({ maxInFlight: 8, minInFlight: 2, latencyTargetMs: 100, maxWaitMs: 10 }),
      () => now,
    );
    // Every place taken (a limit that left places free did not make buys slow: it is not cut).
    const slowIds = ['a', 'b', 'c', 'd', 'e', 'o', 'p', 'q'];
    const slow = slowIds.map((id) => admission.execute(buy(id)));
    await tick();
    now = 400; // each took four times the target: the limit halves (the most one window cuts)
    for (const id of slowIds) inner.finish(id);
    await Promise.all(slow);

    const running = ['f', 'g', 'h', 'i'].map((id) => admission.execute(buy(id)));
    const refused = await Promise.all(
      ['j', 'k', 'l', 'm', 'n'].map((id) => admission.execute(buy(id)).catch((error: unknown) => error)),
    );
    expect(refused.every((error) => error instanceof ServiceBusy)).toBe(true);
    await tick();
    expect(inner.started.slice(slowIds.length)).toEqual(['f', 'g', 'h', 'i']);
    for (const id of ['f', 'g', 'h', 'i']) inner.finish(id);
    await Promise.all(running);
  });

  it('a buy that fails frees its place for the next one', async () => {
    const failing = { execute: () => Promise.reject(new Error('payment exploded')) };
    const admission = new BuyAdmission(failing, settings({ maxInFlight: 1 }));
    await expect(admission.execute(buy('a'))).rejects.toThrow('payment exploded');
    await expect(admission.execute(buy('b'))).rejects.toThrow('payment exploded');
  });
});
