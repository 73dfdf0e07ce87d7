import { describe, expect, it } from 'vitest';
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
    execute: (command: BuyProductCommand) =>
      new Promise<PurchaseView>((resolve) => {
        started.push(command.productId);
        finish.set(command.productId, () => resolve({ id: `purchase-${command.productId}` } as PurchaseView));
      }),
  };
}

const buy = (productId: string) => ({ productId, buyerId: 'buyer' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('buy admission (load shedding)', () => {
  it('beyond the buys in flight and the waiting ones, a buy is refused at once with SERVICE_BUSY and retryAfterSeconds', async () => {
    const inner = heldBuys();
    const admission = new BuyAdmission(inner, { inFlight: 2, waiting: 1, retryAfterSeconds: 3 });
    const first = admission.execute(buy('a'));
    const second = admission.execute(buy('b'));
    const waiting = admission.execute(buy('c'));
    const refused = await admission.execute(buy('d')).catch((error: unknown) => error);
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
    await expect(Promise.all([second, waiting])).resolves.toHaveLength(2);
  });

  it('a buy that fails frees its place for the next one', async () => {
    const failing = { execute: () => Promise.reject(new Error('payment exploded')) };
    const admission = new BuyAdmission(failing, { inFlight: 1, waiting: 0, retryAfterSeconds: 1 });
    await expect(admission.execute(buy('a'))).rejects.toThrow('payment exploded');
    await expect(admission.execute(buy('b'))).rejects.toThrow('payment exploded');
  });
});
