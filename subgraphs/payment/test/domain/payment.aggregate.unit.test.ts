import { InvalidInput } from '@gaji/domain-kernel';
import { describe, expect, it } from 'vitest';
import { Payment } from '../../src/domain/payment.aggregate.js';

const now = new Date('2026-11-25T10:00:00Z');
const later = new Date('2026-11-25T11:00:00Z');
const terms = { purchaseId: 'pu-1', productId: 'pr-1', buyerId: 'buyer', sellerId: 'seller' };
const complete = (amountKrw = 15_000) =>
  Payment.complete({ id: 'pay-1', ...terms, amountKrw, providerReference: 'ref-1', now });
const paymentRef = { paymentId: 'pay-1', ...terms, amountKrw: 15_000 };

describe('Payment', () => {
  it('completing a payment records PaymentCompleted with who paid whom for what', () => {
    const payment = complete();
    expect(payment.pullEvents()).toEqual([
      { type: 'PaymentCompleted', aggregateId: 'pay-1', occurredAt: now, payload: paymentRef },
    ]);
    expect(payment.snapshot()).toMatchObject({
      status: 'COMPLETED',
      completedAt: now,
      cancelledAt: null,
      providerReference: 'ref-1',
    });
  });

  it.each([0, -100, 12.5, 3_000_000_000])(
    'refuses to complete a payment of %s won, naming amountKrw',
    (amountKrw) => {
      expect(() => complete(amountKrw)).toThrow(InvalidInput);
      try {
        complete(amountKrw);
      } catch (error) {
        expect((error as InvalidInput).details).toEqual({ field: 'amountKrw' });
      }
    },
  );

  it('cancelling a completed payment refunds it and records PaymentCancelled', () => {
    const payment = complete();
    payment.pullEvents();
    payment.cancel(later, 'PURCHASE_CANCELLED');
    expect(payment.pullEvents()).toEqual([
      {
        type: 'PaymentCancelled',
        aggregateId: 'pay-1',
        occurredAt: later,
        payload: { ...paymentRef, reason: 'PURCHASE_CANCELLED' },
      },
    ]);
    expect(payment.snapshot()).toMatchObject({ status: 'CANCELLED', cancelledAt: later });
    expect(payment.isRefundable).toBe(false);
  });

  it('refunding a failed purchase’s late charge says so: it undid no deal', () => {
    const payment = complete();
    payment.pullEvents();
    payment.cancel(later, 'PURCHASE_FAILED');
    expect(payment.pullEvents()).toEqual([
      {
        type: 'PaymentCancelled',
        aggregateId: 'pay-1',
        occurredAt: later,
        payload: { ...paymentRef, reason: 'PURCHASE_FAILED' },
      },
    ]);
  });

  it('cancelling twice records one PaymentCancelled and keeps the first cancellation time', () => {
    const payment = complete();
    payment.pullEvents();
    payment.cancel(now, 'PURCHASE_CANCELLED');
    payment.cancel(later, 'PURCHASE_CANCELLED');
    expect(payment.pullEvents().map((event) => event.type)).toEqual(['PaymentCancelled']);
    expect(payment.snapshot().cancelledAt).toEqual(now);
  });

  it('refunded ahead of PurchaseCancelled: CANCELLED at once with no event; announced once when the cancellation arrives, dated when the money went back', () => {
    const payment = complete();
    payment.pullEvents();
    payment.refundAhead(now);
    expect(payment.snapshot()).toMatchObject({ status: 'CANCELLED', cancelledAt: now });
    expect(payment.isRefundable).toBe(false);
    expect(payment.awaitsCancellation).toBe(true);
    expect(payment.pullEvents()).toEqual([]);
    payment.refundAhead(later); // asked again: nothing changes
    payment.cancel(later, 'PURCHASE_CANCELLED'); // an ordinary cancel: nothing left to refund, and it announces nothing
    expect(payment.pullEvents()).toEqual([]);
    payment.announceCancellation();
    payment.announceCancellation();
    expect(payment.pullEvents()).toEqual([
      {
        type: 'PaymentCancelled',
        aggregateId: 'pay-1',
        occurredAt: now,
        payload: { ...paymentRef, reason: 'PURCHASE_CANCELLED' },
      },
    ]);
    expect(payment.awaitsCancellation).toBe(false);
    expect(payment.snapshot()).toMatchObject({ status: 'CANCELLED', cancelledAt: now });
  });

  it('a voided payment is a tombstone: no event, nothing to refund, and cancelling it changes nothing', () => {
    const payment = Payment.void({ id: 'pay-2', ...terms, now });
    payment.cancel(later, 'PURCHASE_CANCELLED');
    expect(payment.pullEvents()).toEqual([]);
    expect(payment.isVoided).toBe(true);
    expect(payment.isRefundable).toBe(false);
    expect(payment.snapshot()).toMatchObject({
      status: 'VOIDED',
      amountKrw: null,
      voidedAt: now,
      cancelledAt: null,
    });
  });

  it('names the first term that differs when a purchase id comes back with other details', () => {
    const payment = complete();
    expect(payment.differingTerm({ ...terms, amountKrw: 15_000 })).toBeUndefined();
    expect(payment.differingTerm({ ...terms, amountKrw: 1 })).toBe('amountKrw');
    expect(payment.differingTerm({ ...terms, buyerId: 'someone-else', amountKrw: 15_000 })).toBe('buyerId');
  });
});
