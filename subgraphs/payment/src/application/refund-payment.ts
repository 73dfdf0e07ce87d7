import type { Payment, RefundReason } from '../domain/payment.aggregate.js';
import type { PaymentProvider } from './ports/payment-provider.js';
import { ConcurrentPaymentUpdate, type PaymentRepository } from './ports/payment.repository.js';
import type { Clock } from '@gaji/platform/ports';

export interface RefundDeps {
  payments: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
}

/**
 * Gives the money back, then records PaymentCancelled, saying what it undoes (`reason`) — or,
 * `ahead` of PurchaseCancelled (purchase's synchronous word), only the CANCELLED state, the event
 * following when PurchaseCancelled is applied. The provider goes first: if it is down the triggering event (or call) is retried later.
 * Its refund is idempotent by charge reference, so a retry after a failed save never pays back twice.
 */
export async function refundPayment(
  payment: Payment,
  { payments, provider, clock }: RefundDeps,
  { reason, ahead = false }: { reason: RefundReason; ahead?: boolean },
): Promise<void> {
  const { providerReference, amountKrw } = payment.snapshot();
  if (!payment.isRefundable || providerReference === null || amountKrw === null) return;
  await provider.refund({ providerReference, amountKrw });
  if (ahead) payment.refundAhead(clock.now());
  else payment.cancel(clock.now(), reason);
  await payments.save(payment);
}

/**
 * Runs `attempt` (a read, then a save) again when its save lost the row's version race. A cancelled
 * purchase's payment has two writers, purchase's synchronous refund and PurchaseCancelled, so the
 * second look sees the winner's state and settles it; a third is allowed for safety.
 */
export async function onFreshStateIfRaced<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentPaymentUpdate) || tried === attempts) throw error;
    }
  }
}
