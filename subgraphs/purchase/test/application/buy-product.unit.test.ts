import { describe, expect, it } from 'vitest';
import { directUnitOfWork, fixedClock } from '@gaji/testkit';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { CancelOnProductSaleRejected } from '../../src/application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import { CancelPurchase } from '../../src/application/cancel-purchase/cancel-purchase.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { FailAbandonedPurchases } from '../../src/application/fail-abandoned-purchases/fail-abandoned-purchases.use-case.js';
import type { PaymentOutcome, RefundOutcome } from '../../src/application/ports/payment-gateway.js';
import { InMemoryProducts, InMemoryPurchases, ScriptedPayments } from './in-memory-adapters.js';

function given(outcome?: PaymentOutcome) {
  const products = new InMemoryProducts();
  // The database's clock reads five minutes after the buys: the sweeper ages purchases by it.
  const purchases = new InMemoryPurchases(products, fixedClock('2026-11-25T10:05:00Z'));
  const payments = new ScriptedPayments(outcome);
  const clock = fixedClock('2026-11-25T10:00:00Z');
  let n = 0;
  products.rows.set('p-1', {
    id: 'p-1',
    sellerId: 'seller',
    title: 'Bike',
    priceKrw: 50_000,
    deleted: false,
  });
  const buy = new BuyProduct({
    purchases,
    products,
    payments,
    uow: directUnitOfWork,
    clock,
    newId: () => `purchase-${++n}`,
  });
  return { purchases, products, payments, buy, clock };
}
const command = { productId: 'p-1', buyerId: 'buyer' };
const typesOf = (events: { type: string }[]) => events.map((event) => event.type);

describe('buying a product', () => {
  it('PaymentCompleted for a purchase its answer already decided neither locks nor writes', async () => {
    const { buy, purchases, clock } = given();
    const purchase = await buy.execute(command);
    const calls: string[] = [];
    const lock = purchases.findByIdForUpdate.bind(purchases);
    const save = purchases.save.bind(purchases);
    purchases.findByIdForUpdate = (id) => (calls.push('lock'), lock(id));
    purchases.save = (p) => (calls.push('save'), save(p));

    const confirm = new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock });
    await confirm.execute({ purchaseId: purchase.id, paymentId: 'payment-of-purchase' });
    await confirm.execute({ purchaseId: 'no-such-purchase', paymentId: 'payment-x' });

    expect(calls).toEqual([]);
    expect(purchases.rows.get(purchase.id)).toMatchObject({ status: 'PAID' });
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced']);
  });

  it('a paid purchase becomes a deal and records PurchasePlaced with the payment id', async () => {
    const { buy, purchases, payments } = given();
    const purchase = await buy.execute(command);
    expect(purchase).toMatchObject({
      status: 'PAID',
      paymentId: 'payment-1',
      priceKrw: 50_000,
      sellerId: 'seller',
    });
    expect(payments.requests).toEqual([
      { purchaseId: 'purchase-1', productId: 'p-1', buyerId: 'buyer', sellerId: 'seller', amountKrw: 50_000 },
    ]);
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced']);
  });

  it('an unavailable payment fails the purchase, releases the product and tells the buyer when to retry', async () => {
    const { buy, purchases } = given({ kind: 'unavailable', retryAfterSeconds: 5 });
    await expect(buy.execute(command)).rejects.toMatchObject({
      code: 'PAYMENT_UNAVAILABLE',
      details: { retryAfterSeconds: 5 },
    });
    expect([...purchases.rows.values()].map((row) => row.status)).toEqual(['FAILED']);
    expect(purchases.events).toMatchObject([
      { type: 'PurchaseFailed', payload: { reason: 'PAYMENT_UNAVAILABLE' } },
    ]);
  });

  it('a declined payment fails the purchase with PAYMENT_DECLINED', async () => {
    const { buy, purchases } = given({ kind: 'declined' });
    await expect(buy.execute(command)).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(purchases.events).toMatchObject([
      { type: 'PurchaseFailed', payload: { reason: 'PAYMENT_DECLINED' } },
    ]);
  });

  it('a product with a paid purchase cannot be bought again, and payment is never called', async () => {
    const { buy, payments } = given();
    await buy.execute(command);
    await expect(buy.execute({ ...command, buyerId: 'second-buyer' })).rejects.toMatchObject({
      code: 'PRODUCT_NOT_AVAILABLE',
    });
    expect(payments.requests).toHaveLength(1);
  });

  it('a failed purchase leaves the product free for the next buyer', async () => {
    const { buy, payments } = given({ kind: 'unavailable', retryAfterSeconds: 5 });
    await expect(buy.execute(command)).rejects.toThrow();
    payments.outcome = { kind: 'paid', paymentId: 'payment-2' };
    expect((await buy.execute(command)).status).toBe('PAID');
  });

  it.each<[string, PaymentOutcome]>([
    ['answers paid', { kind: 'paid', paymentId: 'payment-1' }],
    ['times out', { kind: 'unavailable', retryAfterSeconds: 5 }],
  ])(
    'a deal withdrawn by the product while payment %s is answered as it stands (CANCELLED, refunded), as its retry is',
    async (_, outcome) => {
      const { buy, purchases, payments, clock } = given(outcome);
      const answer = payments.authorize.bind(payments);
      // While the buy waits for payment's answer, PaymentCompleted confirms the purchase and the
      // product, withdrawn by its seller, refuses the sale (ProductSaleRejected).
      payments.authorize = async (request) => {
        await new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock }).execute({
          purchaseId: request.purchaseId,
          paymentId: 'payment-1',
        });
        await new CancelOnProductSaleRejected({ purchases, uow: directUnitOfWork, clock }).execute({
          purchaseId: request.purchaseId,
        });
        return answer(request);
      };
      const intent = { ...command, idempotencyKey: 'intent-1' };

      const first = await buy.execute(intent);
      expect(first).toMatchObject({ id: 'purchase-1', status: 'CANCELLED', paymentId: 'payment-1' });
      expect(await buy.execute(intent)).toEqual(first);
      expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
    },
  );

  it.each<[string, PaymentOutcome]>([
    ['answers paid', { kind: 'paid', paymentId: 'payment-1' }],
    ['times out', { kind: 'unavailable', retryAfterSeconds: 5 }],
    ['declines', { kind: 'declined' }],
  ])(
    'a product purchase hears was taken down while payment %s fails the buy with PRODUCT_NOT_AVAILABLE (PurchaseFailed: any charge refunded), as its retry does',
    async (_, outcome) => {
      const { buy, purchases, products, payments } = given(outcome);
      const answer = payments.authorize.bind(payments);
      // The seller deletes the item (or withdraws) while the buyer is being charged, and
      // ProductDeleted reaches purchase's projection before payment answers.
      payments.authorize = async (request) => {
        await products.markDeleted(request.productId);
        return answer(request);
      };
      const intent = { ...command, idempotencyKey: 'intent-1' };

      await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
      expect(purchases.rows.get('purchase-1')).toMatchObject({
        status: 'FAILED',
        failureReason: 'PRODUCT_UNAVAILABLE',
      });
      expect(purchases.events).toMatchObject([
        { type: 'PurchaseFailed', payload: { purchaseId: 'purchase-1', reason: 'PRODUCT_UNAVAILABLE' } },
      ]);
      await expect(buy.execute(intent)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
      expect(payments.requests).toHaveLength(1);
    },
  );

  it('PaymentCompleted overtaking the answer for a product purchase hears was taken down fails the purchase too: PRODUCT_NOT_AVAILABLE, not a deal', async () => {
    const { buy, purchases, products, payments, clock } = given();
    const answer = payments.authorize.bind(payments);
    payments.authorize = async (request) => {
      await products.markDeleted(request.productId);
      await new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock }).execute({
        purchaseId: request.purchaseId,
        paymentId: 'payment-1',
      });
      return answer(request);
    };

    await expect(buy.execute(command)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
    expect(purchases.rows.get('purchase-1')).toMatchObject({
      status: 'FAILED',
      failureReason: 'PRODUCT_UNAVAILABLE',
    });
    expect(typesOf(purchases.events)).toEqual(['PurchaseFailed']);
  });

  it('refuses unknown, removed and own products', async () => {
    const { buy, products } = given();
    await expect(buy.execute({ ...command, productId: 'nope' })).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });
    await expect(buy.execute({ ...command, buyerId: 'seller' })).rejects.toMatchObject({
      code: 'CANNOT_BUY_OWN_PRODUCT',
    });
    await products.markDeleted('p-1');
    await expect(buy.execute(command)).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });
});

describe('cancelling and reconciling', () => {
  it('a sale the product refused withdraws a paid deal (PurchaseCancelled) and fails a pending one', async () => {
    const { buy, purchases, clock } = given();
    const paid = await buy.execute(command);
    const policy = new CancelOnProductSaleRejected({ purchases, uow: directUnitOfWork, clock });
    await policy.execute({ purchaseId: paid.id });
    await policy.execute({ purchaseId: paid.id }); // redelivered: nothing more happens
    expect(purchases.rows.get(paid.id)?.status).toBe('CANCELLED');
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);

    purchases.rows.set('pending', {
      ...purchases.rows.get(paid.id)!,
      id: 'pending',
      status: 'PENDING',
      cancelledAt: null,
    });
    await policy.execute({ purchaseId: 'pending' });
    expect(purchases.rows.get('pending')).toMatchObject({
      status: 'FAILED',
      failureReason: 'PRODUCT_UNAVAILABLE',
    });
  });

  it('only the buyer cancels, once, and PurchaseCancelled is recorded; the refund is asked for once the cancel is stored', async () => {
    const { buy, purchases, payments, clock } = given();
    const purchase = await buy.execute(command);
    const cancel = new CancelPurchase({ purchases, payments, uow: directUnitOfWork, clock });
    await expect(cancel.execute({ purchaseId: purchase.id, buyerId: 'seller' })).rejects.toMatchObject({
      code: 'NOT_PURCHASE_BUYER',
    });
    await cancel.execute({ purchaseId: purchase.id, buyerId: 'buyer' });
    await expect(cancel.execute({ purchaseId: purchase.id, buyerId: 'buyer' })).rejects.toMatchObject({
      code: 'PURCHASE_ALREADY_CANCELLED',
    });
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
    expect(payments.refunds).toEqual([purchase.id]);
  });

  it.each<[string, RefundOutcome]>([
    ['cannot refund now', { kind: 'unavailable' }],
    ['refuses the refund', { kind: 'refused' }],
  ])(
    'a cancel still succeeds when payment %s (PurchaseCancelled will ask again); its retry asks again',
    async (_, outcome) => {
      const { buy, purchases, payments, clock } = given();
      const purchase = await buy.execute(command);
      const cancel = new CancelPurchase({ purchases, payments, uow: directUnitOfWork, clock });
      payments.refundOutcome = outcome;
      const intent = { purchaseId: purchase.id, buyerId: 'buyer', idempotencyKey: 'cancel-1' };
      expect(await cancel.execute(intent)).toMatchObject({ status: 'CANCELLED' });
      expect(purchases.rows.get(purchase.id)?.status).toBe('CANCELLED');
      payments.refundOutcome = { kind: 'refunded' };
      expect(await cancel.execute(intent)).toMatchObject({ status: 'CANCELLED' });
      expect(payments.refunds).toEqual([purchase.id, purchase.id]);
      expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
    },
  );

  it('a failed purchase cannot be cancelled: it never was a deal', async () => {
    const { buy, purchases, payments, clock } = given({ kind: 'declined' });
    await expect(buy.execute(command)).rejects.toThrow();
    const cancel = new CancelPurchase({ purchases, payments, uow: directUnitOfWork, clock });
    await expect(cancel.execute({ purchaseId: 'purchase-1', buyerId: 'buyer' })).rejects.toMatchObject({
      code: 'PURCHASE_NOT_FOUND',
    });
  });

  it('PaymentCompleted confirms a purchase left PENDING, once; the sweeper fails PENDING purchases that nobody confirmed', async () => {
    const { purchases, products, clock } = given();
    const hanging = new ScriptedPayments();
    hanging.authorize = () => new Promise(() => undefined); // the process "dies" mid-call
    const buy = new BuyProduct({
      purchases,
      products,
      payments: hanging,
      uow: directUnitOfWork,
      clock,
      newId: () => 'pending-1',
    });
    void buy.execute(command);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(purchases.rows.get('pending-1')?.status).toBe('PENDING');

    const confirm = new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock });
    // PENDING (or never seen) is not settled: the event must go through execute.
    expect(await confirm.alreadySettled({ purchaseId: 'pending-1' })).toBe(false);
    expect(await confirm.alreadySettled({ purchaseId: 'never-seen' })).toBe(false);
    await confirm.execute({ purchaseId: 'pending-1', paymentId: 'late-payment' });
    expect(await confirm.alreadySettled({ purchaseId: 'pending-1' })).toBe(true);
    await confirm.execute({ purchaseId: 'pending-1', paymentId: 'late-payment' });
    expect(purchases.rows.get('pending-1')).toMatchObject({ status: 'PAID', paymentId: 'late-payment' });
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced']);

    products.rows.set('p-2', {
      id: 'p-2',
      sellerId: 'seller',
      title: 'Lamp',
      priceKrw: 1_000,
      deleted: false,
    });
    const buyLamp = new BuyProduct({
      purchases,
      products,
      payments: hanging,
      uow: directUnitOfWork,
      clock,
      newId: () => 'pending-2',
    });
    void buyLamp.execute({ ...command, productId: 'p-2' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const sweeper = new FailAbandonedPurchases({
      purchases,
      uow: directUnitOfWork,
      clock: fixedClock('2026-11-25T10:05:00Z'),
      maxPendingMs: 30_000,
    });
    expect(await sweeper.execute()).toBe(1);
    expect(purchases.rows.get('pending-2')?.status).toBe('FAILED');
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseFailed']);
  });
});
