import type { RecordedEvent } from '@gaji/contracts';
import { describe, expect, it } from 'vitest';
import { Purchase } from '../../src/domain/purchase.aggregate.js';
import { assertCanBuy } from '../../src/domain/sellable-product.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));
const ids = {
  id: 'purchase-1',
  productId: 'product-1',
  buyerId: 'buyer',
  sellerId: 'seller',
  priceKrw: 50_000,
};

/**
 * given(what happened to the purchase).when(a command).then(the events it records) — the setup's
 * own events are pulled first, so `then` speaks only of what the command recorded.
 */
function given(...history: ((purchase: Purchase) => void)[]) {
  const purchase = Purchase.start({ ...ids, now: at(0) });
  for (const step of history) step(purchase);
  purchase.pullEvents();
  return {
    when(command: (purchase: Purchase) => void) {
      let refusal: unknown;
      try {
        command(purchase);
      } catch (error) {
        refusal = error;
      }
      const recorded = purchase.pullEvents();
      return {
        then(expected: Partial<RecordedEvent>[]) {
          expect(refusal).toBeUndefined();
          expect(recorded).toEqual(expected.map((event) => expect.objectContaining(event)));
          return purchase;
        },
        thenRefused(code: string) {
          expect(refusal).toMatchObject({ code });
          expect(recorded).toEqual([]);
        },
      };
    },
  };
}

const paid = (purchase: Purchase) => purchase.confirmPaid('payment-1', at(1));
const cancelled = (purchase: Purchase) => purchase.cancel('buyer', at(2));
const failed = (purchase: Purchase) => purchase.fail('PAYMENT_DECLINED', at(1));
const deal = { purchaseId: 'purchase-1', productId: 'product-1', buyerId: 'buyer', sellerId: 'seller' };

describe('purchase aggregate', () => {
  it('a started purchase is PENDING, holds the product and is not a deal yet', () => {
    const purchase = Purchase.start({ ...ids, now: at(0) });
    expect(purchase.snapshot()).toMatchObject({ status: 'PENDING', startedAt: at(0), paidAt: null });
    expect(purchase.isDeal).toBe(false);
    // No event: its save (the reservation) needs no transaction of its own.
    expect(purchase.hasEvents).toBe(false);
    expect(purchase.pullEvents()).toEqual([]);
    purchase.confirmPaid('payment-1', at(1));
    expect(purchase.hasEvents).toBe(true);
    expect(purchase.pullEvents()).toHaveLength(1);
    expect(purchase.hasEvents).toBe(false);
  });

  it('confirmed payment makes it a deal and records PurchasePlaced with the payment id and price', () => {
    const purchase = given()
      .when(paid)
      .then([
        {
          type: 'PurchasePlaced',
          payload: { ...deal, priceKrw: 50_000, paymentId: 'payment-1' },
          occurredAt: at(1),
        },
      ]);
    expect(purchase.snapshot()).toMatchObject({ status: 'PAID', paymentId: 'payment-1', paidAt: at(1) });
  });

  it('payment confirmed twice (the answer and PaymentCompleted) is placed once', () => {
    given(paid)
      .when((purchase) => purchase.confirmPaid('payment-1', at(3)))
      .then([]);
  });

  it('a declined or unavailable payment fails a pending purchase with its reason', () => {
    given()
      .when((purchase) => purchase.fail('PAYMENT_UNAVAILABLE', at(1)))
      .then([{ type: 'PurchaseFailed', payload: { ...deal, reason: 'PAYMENT_UNAVAILABLE' } }]);
  });

  it('a decided purchase cannot fail any more, nor a failed one be paid: the first decision stands', () => {
    given(paid)
      .when((purchase) => purchase.fail('PAYMENT_UNAVAILABLE', at(2)))
      .then([]);
    given(failed).when(paid).then([]);
  });

  it('its buyer cancels a deal: PurchaseCancelled, once', () => {
    const purchase = given(paid)
      .when(cancelled)
      .then([{ type: 'PurchaseCancelled', payload: deal, occurredAt: at(2) }]);
    expect(purchase.snapshot()).toMatchObject({ status: 'CANCELLED', cancelledAt: at(2) });
    given(paid, cancelled).when(cancelled).thenRefused('PURCHASE_ALREADY_CANCELLED');
  });

  it('nobody but the buyer cancels, and a purchase that is not a deal cannot be cancelled at all', () => {
    given(paid)
      .when((purchase) => purchase.cancel('seller', at(2)))
      .thenRefused('NOT_PURCHASE_BUYER');
    // Someone who cannot see the deal is not told it exists: the same as for an unknown id.
    given(paid)
      .when((purchase) => purchase.cancel('stranger', at(2)))
      .thenRefused('PURCHASE_NOT_FOUND');
    given(paid, cancelled)
      .when((purchase) => purchase.cancel('stranger', at(3)))
      .thenRefused('PURCHASE_NOT_FOUND');
    given().when(cancelled).thenRefused('PURCHASE_NOT_FOUND');
    given(failed).when(cancelled).thenRefused('PURCHASE_NOT_FOUND');
  });

  it('a product that refused the sale withdraws a paid deal (refunded on PurchaseCancelled) and fails a pending one', () => {
    const withdraw = (purchase: Purchase) => purchase.withdrawBecauseProductUnavailable(at(5));
    given(paid)
      .when(withdraw)
      .then([{ type: 'PurchaseCancelled', payload: deal }]);
    given()
      .when(withdraw)
      .then([{ type: 'PurchaseFailed', payload: { ...deal, reason: 'PRODUCT_UNAVAILABLE' } }]);
    given(paid, cancelled).when(withdraw).then([]);
    given(failed).when(withdraw).then([]);
  });
});

describe('who may buy a product', () => {
  const product = { id: 'product-1', sellerId: 'seller', title: 'Bike', priceKrw: 50_000, deleted: false };

  it('anyone but its seller may buy a product that exists', () => {
    expect(() => assertCanBuy(product, 'buyer')).not.toThrow();
  });

  it('an unknown or deleted product is not found, and a seller cannot buy their own', () => {
    expect(() => assertCanBuy(null, 'buyer')).toThrow(expect.objectContaining({ code: 'PRODUCT_NOT_FOUND' }));
    expect(() => assertCanBuy({ ...product, deleted: true }, 'buyer')).toThrow(
      expect.objectContaining({ code: 'PRODUCT_NOT_FOUND' }),
    );
    expect(() => assertCanBuy(product, 'seller')).toThrow(
      expect.objectContaining({ code: 'CANNOT_BUY_OWN_PRODUCT' }),
    );
  });
});
