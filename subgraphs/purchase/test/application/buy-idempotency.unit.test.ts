import { describe, expect, it } from 'vitest';
import { directUnitOfWork, fixedClock } from '@gaji/testkit';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { CancelPurchase } from '../../src/application/cancel-purchase/cancel-purchase.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import type { PaymentOutcome } from '../../src/application/ports/payment-gateway.js';
import { InMemoryProducts, InMemoryPurchases, ScriptedPayments } from './in-memory-adapters.js';

function given(outcome?: PaymentOutcome) {
  const products = new InMemoryProducts();
  const purchases = new InMemoryPurchases(products);
  const payments = new ScriptedPayments(outcome);
  const clock = fixedClock('2026-11-25T10:00:00Z');
  let n = 0;
  for (const id of ['p-1', 'p-2'])
    products.rows.set(id, { id, sellerId: 'seller', title: id, priceKrw: 50_000, deleted: false });
  const deps = { purchases, products, payments, uow: directUnitOfWork, clock };
  const buy = new BuyProduct({ ...deps, newId: () => `purchase-${++n}` });
  const cancel = new CancelPurchase(deps);
  return { ...deps, buy, cancel };
}
const intent = { productId: 'p-1', buyerId: 'buyer', idempotencyKey: 'intent-1' };

describe('buying with an idempotency key', () => {
  it('the same key again answers the same purchase and charges once', async () => {
    const { buy, payments, purchases } = given();
    const first = await buy.execute(intent);
    const again = await buy.execute(intent);
    expect(again).toEqual(first);
    expect(payments.requests).toHaveLength(1);
    expect(purchases.rows.size).toBe(1);
  });

  it('a retry after a crash between charge and answer resumes the same purchase: payment answers its charge', async () => {
    const { purchases, products, payments, clock, buy } = given();
    // The first attempt reserved, payment charged, and the process died before deciding.
    const dying = new BuyProduct({
      purchases,
      products,
      payments: { authorize: () => new Promise(() => undefined) },
      uow: directUnitOfWork,
      clock,
      newId: () => 'first-attempt',
    });
    void dying.execute(intent);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(purchases.rows.get('first-attempt')?.status).toBe('PENDING');

    const retried = await buy.execute(intent);
    expect(retried).toMatchObject({ id: 'first-attempt', status: 'PAID' });
    expect(payments.requests.map((request) => request.purchaseId)).toEqual(['first-attempt']);
    expect(purchases.rows.size).toBe(1);
  });

  it('a resumed purchase whose product purchase has since heard was taken down is failed, not paid: PRODUCT_NOT_AVAILABLE', async () => {
    const { purchases, products, clock, buy } = given();
    const dying = new BuyProduct({
      purchases,
      products,
      payments: { authorize: () => new Promise(() => undefined) },
      uow: directUnitOfWork,
      clock,
      newId: () => 'first-attempt',
    });
    void dying.execute(intent);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await products.markDeleted('p-1'); // ProductDeleted arrives while the purchase is undecided

    await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
    expect(purchases.rows.get('first-attempt')).toMatchObject({
      status: 'FAILED',
      failureReason: 'PRODUCT_UNAVAILABLE',
    });
    expect(purchases.events).toMatchObject([{ type: 'PurchaseFailed', aggregateId: 'first-attempt' }]);
    await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
  });

  it('a retry after the first attempt was confirmed by PaymentCompleted answers the deal without paying again', async () => {
    const { purchases, products, clock, buy, payments } = given();
    const dying = new BuyProduct({
      purchases,
      products,
      payments: { authorize: () => new Promise(() => undefined) },
      uow: directUnitOfWork,
      clock,
      newId: () => 'first-attempt',
    });
    void dying.execute(intent);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock }).execute({
      purchaseId: 'first-attempt',
      paymentId: 'payment-by-event',
    });

    expect(await buy.execute(intent)).toMatchObject({ id: 'first-attempt', paymentId: 'payment-by-event' });
    expect(payments.requests).toEqual([]);
  });

  it('a failed first attempt is answered with the same error, and nothing is tried again', async () => {
    const { buy, payments } = given({ kind: 'declined' });
    await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    payments.outcome = { kind: 'paid', paymentId: 'payment-2' };
    await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(payments.requests).toHaveLength(1);
  });

  it('the same key for another product is IDEMPOTENCY_KEY_REUSED, and nothing is bought', async () => {
    const { buy, payments } = given();
    await buy.execute(intent);
    await expect(buy.execute({ ...intent, productId: 'p-2' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(payments.requests).toHaveLength(1);
  });

  it('a buy refused before anything was reserved (PRODUCT_NOT_AVAILABLE: another buyer holds it) is not remembered: its key tries again once the item is free', async () => {
    const { buy, cancel, payments, purchases } = given();
    const held = await buy.execute({ productId: 'p-1', buyerId: 'first-buyer' });
    const second = { ...intent, buyerId: 'second-buyer', idempotencyKey: 'B1' };
    await expect(buy.execute(second)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
    expect(payments.requests).toHaveLength(1); // the second buyer was neither reserved nor charged

    await cancel.execute({ purchaseId: held.id, buyerId: 'first-buyer' });
    const retried = await buy.execute(second);
    expect(retried).toMatchObject({ status: 'PAID', buyerId: 'second-buyer' });
    expect(await buy.execute(second)).toEqual(retried); // from its reservation on, the key answers this deal
    expect([...purchases.rows.values()].filter((row) => row.buyerId === 'second-buyer')).toHaveLength(1);
  });

  it("a key is the buyer's own: another buyer's same key is another intent", async () => {
    const { buy } = given();
    await buy.execute(intent);
    await expect(buy.execute({ ...intent, buyerId: 'someone-else' })).rejects.toMatchObject({
      code: 'PRODUCT_NOT_AVAILABLE',
    });
  });

  it('an unknown payment outcome on a purchase PaymentCompleted already confirmed answers the deal, not PAYMENT_UNAVAILABLE', async () => {
    const { purchases, clock, buy, payments } = given();
    payments.authorize = async (request) => {
      // The charge went through; its event arrived before the timed-out call came back.
      await new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock }).execute({
        purchaseId: request.purchaseId,
        paymentId: 'payment-by-event',
      });
      return { kind: 'unavailable', retryAfterSeconds: 5 };
    };
    expect(await buy.execute(intent)).toMatchObject({ status: 'PAID', paymentId: 'payment-by-event' });
  });
});

describe('cancelling with an idempotency key', () => {
  it('the same key again answers the cancelled deal instead of PURCHASE_ALREADY_CANCELLED', async () => {
    const { buy, cancel, purchases } = given();
    const deal = await buy.execute(intent);
    const command = { purchaseId: deal.id, buyerId: 'buyer', idempotencyKey: 'cancel-1' };
    const first = await cancel.execute(command);
    expect(await cancel.execute(command)).toEqual(first);
    expect(first.status).toBe('CANCELLED');
    expect(purchases.events.map((event) => event.type)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
    await expect(cancel.execute({ ...command, idempotencyKey: 'cancel-2' })).rejects.toMatchObject({
      code: 'PURCHASE_ALREADY_CANCELLED',
    });
  });

  it('a cancel key used for another purchase is IDEMPOTENCY_KEY_REUSED, and that purchase stays paid', async () => {
    const { buy, cancel, purchases } = given();
    const first = await buy.execute(intent);
    const second = await buy.execute({ ...intent, productId: 'p-2', idempotencyKey: 'intent-2' });
    await cancel.execute({ purchaseId: first.id, buyerId: 'buyer', idempotencyKey: 'cancel-1' });
    await expect(
      cancel.execute({ purchaseId: second.id, buyerId: 'buyer', idempotencyKey: 'cancel-1' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(purchases.rows.get(second.id)?.status).toBe('PAID');
  });
});
