import { describe, expect, it } from 'vitest';
import { project } from '../../src/domain/my-page.projection.js';
import type { ProductRow, PurchaseRow } from '../../src/domain/my-page.rows.js';
import { anEvent, newIds } from '../support/event.mother.js';

const at = new Date('2026-03-01T10:00:00.000Z');
const ids = newIds();
const deal = { purchaseId: ids.purchase, productId: ids.product, buyerId: ids.buyer, sellerId: ids.seller };
const product: ProductRow = {
  id: ids.product,
  sellerId: ids.seller,
  title: 'Lamp',
  priceKrw: 3_000,
  imageUrl: null,
  status: 'ON_SALE',
  registeredAt: at,
  updatedAt: at,
};
const paid: PurchaseRow = {
  id: ids.purchase,
  productId: ids.product,
  buyerId: ids.buyer,
  sellerId: ids.seller,
  productTitle: 'Lamp',
  priceKrw: 3_000,
  status: 'PAID',
  paidAt: at,
  cancelledAt: null,
  refundedAt: null,
};

describe('the My Page projection', () => {
  it('a placed purchase becomes a paid deal named after the product, with a PAID history entry', () => {
    const event = anEvent('PurchasePlaced', { ...deal, priceKrw: 3_000, paymentId: ids.payment }, at);

    const changes = project(event, { product }, { seq: 7 });

    expect(changes).toEqual([
      { kind: 'purchase', row: paid },
      { kind: 'history', entry: { eventId: event.id, purchaseId: ids.purchase, status: 'PAID', at, seq: 7 } },
    ]);
  });

  it('placing a deal that is already known changes nothing (a state never moves back)', () => {
    const changes = project(
      anEvent('PurchasePlaced', { ...deal, priceKrw: 3_000, paymentId: ids.payment }),
      { purchase: { ...paid, status: 'CANCELLED' } },
      { seq: 9 },
    );

    expect(changes).toEqual([]);
  });

  it('a refund is recorded only for a cancelled deal', () => {
    const payment = { paymentId: ids.payment, ...deal, amountKrw: 3_000 };

    expect(project(anEvent('PaymentCancelled', payment, at), { purchase: paid }, { seq: 3 })).toEqual([]);
    expect(
      project(
        anEvent('PaymentCancelled', payment, at),
        { purchase: { ...paid, status: 'CANCELLED', cancelledAt: at } },
        { seq: 3 },
      )[0],
    ).toMatchObject({
      kind: 'purchase',
      row: { status: 'REFUNDED', refundedAt: at },
    });
  });

  it('selling a product marks it sold at the time of the event', () => {
    const soldAt = new Date('2026-03-02T00:00:00.000Z');

    const changes = project(
      anEvent(
        'ProductSold',
        { productId: ids.product, sellerId: ids.seller, purchaseId: ids.purchase },
        soldAt,
      ),
      { product },
      { seq: 4 },
    );

    expect(changes).toEqual([{ kind: 'product', row: { ...product, status: 'SOLD', updatedAt: soldAt } }]);
  });

  it('a sale passing to another deal (a second ProductSold, with no ProductPutBackOnSale between) leaves the product SOLD as it was', () => {
    // Product announces it so when a late charge's refund leaves another open deal standing.
    const sold: ProductRow = { ...product, status: 'SOLD' };
    const changes = project(
      anEvent('ProductSold', { productId: ids.product, sellerId: ids.seller, purchaseId: newIds().purchase }),
      { product: sold },
      { seq: 9 },
    );

    expect(changes).toEqual([]);
  });

  it('a completed payment alone creates nothing: only PurchasePlaced makes a deal', () => {
    expect(
      project(
        anEvent('PaymentCompleted', { paymentId: ids.payment, ...deal, amountKrw: 3_000 }),
        {},
        { seq: 1 },
      ),
    ).toEqual([]);
  });
});
