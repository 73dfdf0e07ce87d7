import { outgoingTraceparent } from '@gaji/platform/tracing';
import {
  paymentAuthorization,
  paymentRefund,
  readAuthorizationAnswer,
  readRefundAnswer,
} from '@gaji/contracts';
import type {
  PaymentGateway,
  PaymentOutcome,
  PaymentRequest,
  RefundOutcome,
} from '../../../application/ports/payment-gateway.js';
import { GuardedCall, type BreakerState, type InternalCallOptions } from '../guarded-call.js';

/** Payment was slow, down or overloaded: counts against the breaker. */
class PaymentServiceFailure extends Error {}

/**
 * The synchronous purchase → payment calls (charge, and refund on cancel), by the contract both
 * sides share (@gaji/contracts, schema/src/internal), over payment's internal HTTP endpoint, found by configured URL (cluster DNS in Kubernetes). A timeout bounds each call;
 * a circuit breaker stops calling an overloaded payment service so buyers hear "try again shortly"
 * in milliseconds instead of waiting (cockatiel).
 */
export class HttpPaymentGateway implements PaymentGateway {
  private readonly guard: GuardedCall;

  constructor(private readonly options: InternalCallOptions) {
    this.guard = new GuardedCall({
      ...options,
      name: 'payment',
      isFailure: (error) => error instanceof PaymentServiceFailure,
    });
  }

  get breakerState(): BreakerState {
    return this.guard.state;
  }

  authorize(request: PaymentRequest): Promise<PaymentOutcome> {
    const { retryAfterSeconds } = this.guard;
    return this.guard.run(
      'authorize payment',
      { 'gaji.purchase_id': request.purchaseId },
      (signal) => this.call(request, signal),
      () => ({ kind: 'unavailable', retryAfterSeconds }),
    );
  }

  refund(purchaseId: string): Promise<RefundOutcome> {
    return this.guard.run(
      'refund payment',
      { 'gaji.purchase_id': purchaseId },
      (signal) => this.callRefund(purchaseId, signal),
      () => ({ kind: 'unavailable' }),
    );
  }

  private async callRefund(purchaseId: string, signal: AbortSignal): Promise<RefundOutcome> {
    const { method, callee } = paymentRefund;
    const path = paymentRefund.path(purchaseId);
    const token = await this.options.signRequest(callee, { method, path });
    const response = await this.send(path, {
      method,
      headers: { authorization: `Bearer ${token}`, traceparent: outgoingTraceparent() },
      signal,
    });
    // The contract's 200 is a CANCELLED payment: readRefundAnswer refuses any other as a contract break.
    const answer = readRefundAnswer(response.status, await response.json().catch(() => null));
    if (answer.kind === 'refunded') return { kind: 'refunded' };
    if (answer.meaning === 'not-found') return { kind: 'nothing-charged' };
    if (answer.meaning === 'unavailable')
      throw new PaymentServiceFailure(`payment answered ${response.status} ${answer.code}`);
    // Our request's fault or a contract break, not payment's health: no breaker penalty, but loud.
    this.options.logger.error(
      { purchaseId, status: response.status, code: answer.code, message: answer.message },
      'payment did not refund; PurchaseCancelled will ask it again',
    );
    return { kind: 'refused' };
  }

  /** One request to payment's internal API; unreachable counts against the breaker. */
  private send(path: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
    return this.guard.fetch(
      `${this.options.baseUrl}${path}`,
      init,
      (message) => new PaymentServiceFailure(message),
    );
  }

  private async call(request: PaymentRequest, signal: AbortSignal): Promise<PaymentOutcome> {
    const { path, method, callee, correlationHeader } = paymentAuthorization;
    // Checked before it leaves, as events are: a request that breaks the contract is our bug.
    const body = JSON.stringify(paymentAuthorization.request.parse(request));
    const token = await this.options.signRequest(callee, { method, path, body });
    const response = await this.send(path, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [correlationHeader]: request.purchaseId,
        traceparent: outgoingTraceparent(),
      },
      body,
      signal,
    });
    const answer = readAuthorizationAnswer(response.status, await response.json().catch(() => null));
    if (answer.kind === 'paid') return { kind: 'paid', paymentId: answer.payment.paymentId };
    if (answer.meaning === 'declined') return { kind: 'declined' };
    if (answer.meaning === 'unavailable')
      throw new PaymentServiceFailure(`payment answered ${response.status} ${answer.code}`);
    // Our request's fault (or a contract break), not payment's health: no breaker penalty.
    this.options.logger.error(
      { status: response.status, code: answer.code, message: answer.message },
      'payment refused the request',
    );
    return { kind: 'unavailable', retryAfterSeconds: 1 };
  }
}
