import { describe, expect, it } from 'vitest';
import { directUnitOfWork, fixedClock } from '@gaji/testkit';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { WithdrawBuysOnMemberWithdrawn } from '../../src/application/withdraw-buys-on-member-withdrawn/withdraw-buys-on-member-withdrawn.policy.js';
import { Purchase } from '../../src/domain/purchase.aggregate.js';
import { InMemoryProducts, InMemoryPurchases, ScriptedPayments } from './in-memory-adapters.js';

const at = (time: string) => new Date(`2026-11-25T${time}Z`);

function given(clockMarginMs = 0) {
  const products = new InMemoryProducts();
  products.rows.set('p-1', {
    id: 'p-1',
    sellerId: 'seller',
    title: 'Bike',
    priceKrw: 50_000,
    deleted: false,
  });
  const purchases = new InMemoryPurchases(products);
  const clock = fixedClock('2026-11-25T10:00:00Z');
  const buy = new BuyProduct({
    purchases,
    products,
    payments: new ScriptedPayments(),
    uow: directUnitOfWork,
    clock,
    newId: () => 'purchase-1',
  });
  const withdraw = new WithdrawBuysOnMemberWithdrawn({
    purchases,
    withdrawnBuyers: purchases.withdrawnBuyers,
    uow: directUnitOfWork,
    clock,
    clockMarginMs,
  });
  return { purchases, buy, clock, withdraw };
}

/** A deal of `buyer`'s, paid at `paidAt`. */
async function paidDeal(purchases: InMemoryPurchases, id: string, buyerId: string, paidAt: Date) {
  const purchase = Purchase.start({
    id,
    productId: `product-${id}`,
    buyerId,
    sellerId: 'seller',
    priceKrw: 10_000,
    now: new Date(paidAt.getTime() - 1_000),
  });
  purchase.confirmPaid(`payment-${id}`, paidAt);
  await purchases.save(purchase);
}

const typesOf = (events: { type: string }[]) => events.map((event) => event.type);

describe("a buyer's withdrawal", () => {
  it('MemberWithdrawn cancels the deals the buyer was paid for at or after leaving, and leaves earlier ones and other buyers’', async () => {
    const { purchases, withdraw } = given();
    await paidDeal(purchases, 'before', 'leaver', at('09:59:59.999'));
    await paidDeal(purchases, 'same', 'leaver', at('10:00:00'));
    await paidDeal(purchases, 'after', 'leaver', at('10:00:01'));
    await paidDeal(purchases, 'other', 'stayer', at('10:00:01'));
    purchases.events.length = 0;

    expect(await withdraw.execute({ memberId: 'leaver' }, at('10:00:00'))).toBe(2);
    expect(await withdraw.execute({ memberId: 'leaver' }, at('10:00:00'))).toBe(0); // a redelivery

    const statusOf = (id: string) => purchases.rows.get(id)?.status;
    expect(['before', 'same', 'after', 'other'].map(statusOf)).toEqual([
      'PAID',
      'CANCELLED',
      'CANCELLED',
      'PAID',
    ]);
    expect(purchases.events).toMatchObject([
      { type: 'PurchaseCancelled', payload: { purchaseId: 'same', buyerId: 'leaver' } },
      { type: 'PurchaseCancelled', payload: { purchaseId: 'after', buyerId: 'leaver' } },
    ]);
  });

  it('with a clock margin, a deal paid within it before the withdrawal is cancelled too', async () => {
    const { purchases, withdraw } = given(2_000);
    await paidDeal(purchases, 'just-before', 'leaver', at('09:59:59'));
    await paidDeal(purchases, 'well-before', 'leaver', at('09:59:57'));
    expect(await withdraw.execute({ memberId: 'leaver' }, at('10:00:00'))).toBe(1);
    expect(purchases.rows.get('just-before')?.status).toBe('CANCELLED');
    expect(purchases.rows.get('well-before')?.status).toBe('PAID');
  });

  it('a buy decided paid after purchase heard the buyer withdrew is answered as a cancelled deal, and refunded on its PurchaseCancelled', async () => {
    const { purchases, buy, withdraw } = given();
    await withdraw.execute({ memberId: 'buyer' }, at('09:59:00'));
    const answered = await buy.execute({ productId: 'p-1', buyerId: 'buyer' });
    expect(answered.status).toBe('CANCELLED');
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
  });

  it('PaymentCompleted confirming a buy after the buyer withdrew cancels it at once', async () => {
    const { purchases, clock, withdraw } = given();
    const pending = Purchase.start({
      id: 'pending',
      productId: 'p-1',
      buyerId: 'buyer',
      sellerId: 'seller',
      priceKrw: 50_000,
      now: at('09:58:00'),
    });
    await purchases.save(pending);
    await withdraw.execute({ memberId: 'buyer' }, at('09:59:00'));
    await new ConfirmPaidOnPaymentCompleted({ purchases, uow: directUnitOfWork, clock }).execute({
      purchaseId: 'pending',
      paymentId: 'payment-1',
    });
    expect(purchases.rows.get('pending')?.status).toBe('CANCELLED');
    expect(typesOf(purchases.events)).toEqual(['PurchasePlaced', 'PurchaseCancelled']);
  });
});
