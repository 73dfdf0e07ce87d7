import type { Payment } from '../domain/payment.aggregate.js';
import type { PaymentProvider } from './ports/payment-provider.js';
import type { PaymentRepository } from './ports/payment.repository.js';
import type { Clock } from '@gaji/platform/ports';

export interface RefundDeps {
  payments: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
}

/**
 * Gives the money back, then records PaymentCancelled — or, `ahead` of PurchaseCancelled (purchase's
 * synchronous word), only the CANCELLED state, the event following when PurchaseCancelled is
 * applied. The provider goes first: if it is down the triggering event (or call) is retried later.
 * Its refund is idempotent by charge reference, so a retry after a failed save never pays back twice.
 */
export async function refundPayment(
  payment: Payment,
  { payments, provider, clock }: RefundDeps,
  { ahead = false }: { ahead?: boolean } = {},
): Promise<void> {
  const { providerReference, amountKrw } = payment.snapshot();
  if (!payment.isRefundable || providerReference === null || amountKrw === null) return;
  await provider.refund({ providerReference, amountKrw });
  if (ahead) payment.refundAhead(clock.now());
  else payment.cancel(clock.now());
  await payments.save(payment);
}
