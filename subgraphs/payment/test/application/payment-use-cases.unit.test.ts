import { InvalidInput } from '@gaji/domain-kernel';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@gaji/testkit';
import { AuthorizePayment } from '../../src/application/authorize-payment/authorize-payment.use-case.js';
import { RefundCancelledPurchase } from '../../src/application/refund-cancelled-purchase/refund-cancelled-purchase.use-case.js';
import { RefundPaymentOnPurchaseCancelled } from '../../src/application/refund-payment-on-purchase-cancelled/refund-payment-on-purchase-cancelled.policy.js';
import { VoidOrRefundOnPurchaseFailed } from '../../src/application/void-or-refund-on-purchase-failed/void-or-refund-on-purchase-failed.policy.js';
import { Payment } from '../../src/domain/payment.aggregate.js';
import {
  PaymentDeclined,
  PaymentMismatch,
  PaymentProviderUnavailable,
  PaymentVoided,
} from '../../src/domain/payment.errors.js';
import { InMemoryChargeAttempts, InMemoryPayments, ScriptedProvider } from './in-memory-adapters.js';

const terms = { purchaseId: 'pu-1', productId: 'pr-1', buyerId: 'buyer', sellerId: 'seller' };
const command = { ...terms, amountKrw: 15_000 };

function given() {
  const payments = new InMemoryPayments();
  const provider = new ScriptedProvider();
  const clock = fixedClock();
  let ids = 0;
  const newId = () => `pay-${++ids}`;
  return {
    payments,
    provider,
    authorize: new AuthorizePayment({
      ...{ payments, provider, clock, newId },
      attempts: new InMemoryChargeAttempts(payments),
      chargeTimeoutMs: 10_000,
    }),
    onPurchaseCancelled: new RefundPaymentOnPurchaseCancelled({ payments, provider, clock }),
    refundAhead: new RefundCancelledPurchase({ payments, provider, clock }),
    onPurchaseFailed: new VoidOrRefundOnPurchaseFailed({ payments, provider, clock, newId }),
  };
}

describe('authorizing a payment', () => {
  it('charges the buyer once, stores a COMPLETED payment and records PaymentCompleted correlated to the purchase', async () => {
    const { authorize, payments, provider } = given();
    const payment = await authorize.execute(command);

    expect(payment).toMatchObject({
      id: 'pay-1',
      purchaseId: 'pu-1',
      status: 'COMPLETED',
      amountKrw: 15_000,
    });
    expect(provider.charges).toEqual([
      { idempotencyKey: 'pu-1', buyerId: 'buyer', amountKrw: 15_000, deadline: expect.any(Date) },
    ]);
    expect(payments.published).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ type: 'PaymentCompleted' }),
        cause: { correlationId: 'pu-1', causationId: null },
      }),
    ]);
  });

  it('authorizing the same purchase again returns the stored payment without a second charge or event', async () => {
    const { authorize, payments, provider } = given();
    const first = await authorize.execute(command);
    const retry = await authorize.execute(command);
    expect(retry).toEqual(first);
    expect(provider.charges).toHaveLength(1);
    expect(payments.eventTypes).toEqual(['PaymentCompleted']);
  });

  it('a declined charge fails with PAYMENT_DECLINED and stores nothing', async () => {
    const { authorize, payments, provider } = given();
    provider.next = 'decline';
    await expect(authorize.execute(command)).rejects.toThrow(PaymentDeclined);
    expect(payments.rows.size).toBe(0);
    expect(payments.published).toEqual([]);
  });

  it('an unreachable provider fails with PAYMENT_PROVIDER_UNAVAILABLE and stores nothing', async () => {
    const { authorize, payments, provider } = given();
    provider.next = 'unavailable';
    await expect(authorize.execute(command)).rejects.toThrow(PaymentProviderUnavailable);
    expect(payments.rows.size).toBe(0);
  });

  it('a purchase id voided by PurchaseFailed is refused with PAYMENT_VOIDED without asking the provider', async () => {
    const { authorize, onPurchaseFailed, provider } = given();
    await onPurchaseFailed.execute(terms);
    await expect(authorize.execute(command)).rejects.toThrow(PaymentVoided);
    expect(provider.charges).toEqual([]);
  });

  it('a purchase id already paid with another amount is refused with PAYMENT_MISMATCH and not charged again', async () => {
    const { authorize, provider } = given();
    await authorize.execute(command);
    await expect(authorize.execute({ ...command, amountKrw: 1_000 })).rejects.toMatchObject({
      code: 'PAYMENT_MISMATCH',
      details: { field: 'amountKrw' },
    });
    await expect(authorize.execute({ ...command, amountKrw: 1_000 })).rejects.toThrow(PaymentMismatch);
    expect(provider.charges).toHaveLength(1);
  });

  it('an amount that is not a positive whole number of won is refused before anything is charged', async () => {
    const { authorize, provider } = given();
    await expect(authorize.execute({ ...command, amountKrw: 0 })).rejects.toThrow(InvalidInput);
    expect(provider.charges).toEqual([]);
  });

  it('losing the race to an identical request returns the winner and keeps the single charge', async () => {
    const { authorize, payments, provider } = given();
    // The identical request stores first; the provider's idempotency gave both the same charge.
    payments.beforeAdd = () => {
      payments.beforeAdd = undefined;
      payments.rows.set('pu-1', {
        ...Payment.complete({
          id: 'winner',
          ...command,
          providerReference: 'ref-1',
          now: new Date(),
        }).snapshot(),
        version: 1,
      });
    };
    const payment = await authorize.execute(command);
    expect(payment.id).toBe('winner');
    expect(provider.refunds).toEqual([]);
    expect(payments.published).toEqual([]);
  });

  it('a void that lands while the provider is charging wins: the charge is refunded and PAYMENT_VOIDED answered', async () => {
    const { authorize, payments, provider } = given();
    payments.beforeAdd = () => {
      payments.beforeAdd = undefined;
      payments.rows.set('pu-1', {
        ...Payment.void({ id: 'tombstone', ...terms, now: new Date() }).snapshot(),
        version: 1,
      });
    };
    await expect(authorize.execute(command)).rejects.toThrow(PaymentVoided);
    expect(provider.refunds).toEqual([{ providerReference: 'ref-1', amountKrw: 15_000 }]);
    expect(payments.rows.get('pu-1')?.status).toBe('VOIDED');
  });
});

describe('reacting to the purchase', () => {
  it('a cancelled purchase refunds its payment and records PaymentCancelled once, however often it is told', async () => {
    const { authorize, onPurchaseCancelled, payments, provider } = given();
    await authorize.execute(command);
    await onPurchaseCancelled.execute(terms);
    await onPurchaseCancelled.execute(terms);
    expect(payments.rows.get('pu-1')?.status).toBe('CANCELLED');
    expect(payments.eventTypes).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(provider.refunds).toEqual([{ providerReference: 'ref-1', amountKrw: 15_000 }]);
  });

  it('a cancelled purchase without a payment changes nothing', async () => {
    const { onPurchaseCancelled, payments } = given();
    await onPurchaseCancelled.execute(terms);
    expect(payments.rows.size).toBe(0);
  });

  it('while the provider is down a refund fails (so the event is retried) and the payment stays COMPLETED', async () => {
    const { authorize, onPurchaseCancelled, payments, provider } = given();
    await authorize.execute(command);
    provider.next = 'unavailable';
    await expect(onPurchaseCancelled.execute(terms)).rejects.toThrow(PaymentProviderUnavailable);
    expect(payments.rows.get('pu-1')?.status).toBe('COMPLETED');
    expect(payments.eventTypes).toEqual(['PaymentCompleted']);
  });

  it('a failed purchase that was never paid leaves a VOIDED tombstone and no event', async () => {
    const { onPurchaseFailed, payments } = given();
    await onPurchaseFailed.execute(terms);
    expect(payments.rows.get('pu-1')).toMatchObject({ status: 'VOIDED', amountKrw: null });
    expect(payments.published).toEqual([]);
  });

  it('a failed purchase that was paid after all is refunded with PaymentCancelled', async () => {
    const { authorize, onPurchaseFailed, payments, provider } = given();
    await authorize.execute(command);
    await onPurchaseFailed.execute(terms);
    expect(payments.rows.get('pu-1')?.status).toBe('CANCELLED');
    expect(payments.eventTypes).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(provider.refunds).toHaveLength(1);
  });

  it('a failed purchase already cancelled or voided changes nothing more', async () => {
    const { authorize, onPurchaseCancelled, onPurchaseFailed, payments, provider } = given();
    await authorize.execute(command);
    await onPurchaseCancelled.execute(terms);
    await onPurchaseFailed.execute(terms);
    await onPurchaseFailed.execute({ ...terms, purchaseId: 'pu-2' });
    await onPurchaseFailed.execute({ ...terms, purchaseId: 'pu-2' });
    expect(payments.eventTypes).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(provider.refunds).toHaveLength(1);
    expect(payments.rows.get('pu-2')?.status).toBe('VOIDED');
  });
});

describe("purchase's synchronous refund on cancel", () => {
  it('refunds at once without an event; PurchaseCancelled then records PaymentCancelled, refunding nothing more', async () => {
    const { authorize, refundAhead, onPurchaseCancelled, payments, provider } = given();
    await authorize.execute(command);
    expect(await refundAhead.execute('pu-1')).toMatchObject({ status: 'CANCELLED' });
    expect(payments.eventTypes).toEqual(['PaymentCompleted']);
    await onPurchaseCancelled.execute({ purchaseId: 'pu-1' });
    await onPurchaseCancelled.execute({ purchaseId: 'pu-1' });
    expect(payments.eventTypes).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(provider.refunds).toHaveLength(1);
  });

  it('PurchaseCancelled arriving while the call is refunding loses the version race, looks again and announces at once', async () => {
    const { authorize, refundAhead, onPurchaseCancelled, payments, provider } = given();
    await authorize.execute(command);
    const refund = provider.refund.bind(provider);
    let raced = false;
    provider.refund = async (request) => {
      await refund(request);
      if (raced) return;
      raced = true; // the synchronous call completes while the event's refund is at the provider
      await refundAhead.execute('pu-1');
    };
    await onPurchaseCancelled.execute({ purchaseId: 'pu-1' });
    expect(payments.rows.get('pu-1')).toMatchObject({ status: 'CANCELLED', cancellationAnnounced: true });
    expect(payments.eventTypes).toEqual(['PaymentCompleted', 'PaymentCancelled']);
  });
});
