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

/**
 * Buys offered open-loop on a fake clock: `perTick(at)` every 100 ms for `seconds`, each taking
 * `durationMs(at, running)` from its start (`running`: buys in the stand-in then, itself included).
 * Returns the buys refused SERVICE_BUSY, and the most run at once over the last five seconds.
 */
async function offer(options: {
  seconds: number;
  perTick: (at: number) => number;
  durationMs: (at: number, running: number) => number;
  settings: BuyAdmissionSettings;
}) {
  let now = 0;
  const running: { endsAt: number; finish: () => void }[] = [];
  let mostRunningLately = 0;
  const admission = new BuyAdmission(
    {
      execute: (command: BuyProductCommand) =>
        new Promise<PurchaseView>((resolve) => {
          const endsAt = now + options.durationMs(now, running.length + 1);
          running.push({
            endsAt,
            finish: () => resolve({ id: `purchase-${command.productId}` } as PurchaseView),
          });
          if (now >= (options.seconds - 5) * 1_000)
            mostRunningLately = Math.max(mostRunningLately, running.length);
        }),
    },
    options.settings,
    () => now,
  );
  let refused = 0;
  const answers: Promise<unknown>[] = [];
  for (now = 0; now < options.seconds * 1_000 + 60_000; now += 10) {
    for (const buy of running.filter((each) => each.endsAt <= now)) {
      running.splice(running.indexOf(buy), 1);
      buy.finish();
    }
    await tick();
    if (now % 100 === 0 && now < options.seconds * 1_000)
      for (let i = 0; i < options.perTick(now); i++)
        answers.push(
          admission.execute(buy(`${now}-${i}`)).catch((error: unknown) => {
            if (!(error instanceof ServiceBusy)) throw error;
            refused++;
          }),
        );
    await tick();
    if (now >= options.seconds * 1_000 && running.length === 0) break;
  }
  await Promise.all(answers);
  return { refused, mostRunningLately };
}

describe('buy admission (load shedding)', () => {
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

  it('a dependency slowdown at a steady demand fills the places but refuses no buy: the limit holds', async () => {
    // 20 buys/s; from 3 s every buy takes 1.55 s however many run (a JetStream node lost): 30–32
    // in flight, every place taken now and then. Cutting would refuse buys and speed up none.
    const { refused, mostRunningLately } = await offer({
      seconds: 20,
      perTick: () => 2,
      durationMs: (at) => (at < 3_000 ? 100 : 1_550),
      settings: settings({ maxInFlight: 32, minInFlight: 12, latencyTargetMs: 500 }),
    });
    expect(refused).toBe(0);
    expect(mostRunningLately).toBe(32);
  });

  it('an overload, where latency grows with the buys in flight, still cuts the limit and sheds', async () => {
    // 20 buys/s at 100 ms + 30 ms per buy beside it (about five in flight), then 60 buys/s:
    // more buys in flight only make each slower, and the places would stay full.
    const { refused, mostRunningLately } = await offer({
      seconds: 20,
      perTick: (at) => (at < 3_000 ? 2 : 6),
      durationMs: (_at, running) => 100 + 30 * running,
      settings: settings({ maxInFlight: 32, minInFlight: 4, latencyTargetMs: 500, maxWaitMs: 60_000 }),
    });
    expect(refused).toBeGreaterThan(0);
    expect(mostRunningLately).toBeLessThanOrEqual(16);
  });
});
