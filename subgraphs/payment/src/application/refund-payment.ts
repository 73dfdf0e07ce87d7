import type { Payment } from '../domain/payment.aggregate.js';
import type { PaymentProvider } from './ports/payment-provider.js';
import type { EventCause, PaymentRepository } from './ports/payment.repository.js';
import type { Clock } from '@gaji/platform/ports';

export interface RefundDeps {
  payments: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
}

/**
 * Gives the money back, then records PaymentCancelled. The provider goes first: if it is down
 * the triggering event is retried later. Its refund is idempotent by charge reference, so a
 * retry after a failed save never pays back twice.
 */
export async function refundPayment(
  payment: Payment,
  { payments, provider, clock }: RefundDeps,
  cause?: EventCause,
): Promise<void> {
  const { providerReference, amountKrw } = payment.snapshot();
  if (!payment.isRefundable || providerReference === null || amountKrw === null) return;
  await provider.refund({ providerReference, amountKrw });
  payment.cancel(clock.now());
  await payments.save(payment, cause);
}
