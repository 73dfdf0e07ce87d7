import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
} from 'cockatiel';
import { type ServiceTokenSigner } from '@gaji/platform/auth';
import { type Logger } from '@gaji/platform/logging';
import { outgoingTraceparent } from '@gaji/platform/tracing';
import type {
  PaymentGateway,
  PaymentOutcome,
  PaymentRequest,
} from '../../../application/ports/payment-gateway.js';

export interface HttpPaymentGatewayOptions {
  /** Base URL of the payment service's internal HTTP endpoint, e.g. http://127.0.0.1:4004 */
  baseUrl: string;
  timeoutMs: number;
  /** Consecutive failures (timeouts, 5xx, connection errors) that open the breaker. */
  failuresToOpen: number;
  /** How long the breaker stays open before letting one trial call through. */
  halfOpenAfterMs: number;
  /** Purchase's service identity: payment's internal routes refuse anyone else. */
  signRequest: ServiceTokenSigner;
  logger: Logger;
}

/** Payment was slow, down or overloaded: counts against the breaker. */
class PaymentServiceFailure extends Error {}

/**
 * The synchronous purchase → payment call (the only one in the system), over payment's internal
 * HTTP endpoint, found by configured URL (cluster DNS in Kubernetes). A timeout bounds each call;
 * a circuit breaker stops calling an overloaded payment service so buyers hear "try again shortly"
 * in milliseconds instead of waiting (cockatiel).
 */
export class HttpPaymentGateway implements PaymentGateway {
  private readonly breaker;
  private readonly policy;

  constructor(private readonly options: HttpPaymentGatewayOptions) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof PaymentServiceFailure || error instanceof TaskCancelledError),
      {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.failuresToOpen),
      },
    );
    this.breaker.onBreak(() => options.logger.warn('payment circuit breaker opened'));
    this.breaker.onReset(() => options.logger.info('payment circuit breaker closed'));
    this.policy = wrap(this.breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  get breakerState(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  async authorize(request: PaymentRequest): Promise<PaymentOutcome> {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.options.halfOpenAfterMs / 1000));
    try {
      return await this.policy.execute(({ signal }) => this.call(request, signal));
    } catch (error) {
      if (!(error instanceof BrokenCircuitError))
        this.options.logger.warn({ err: error, purchaseId: request.purchaseId }, 'payment call failed');
      return { kind: 'unavailable', retryAfterSeconds };
    }
  }

  private async call(request: PaymentRequest, signal: AbortSignal): Promise<PaymentOutcome> {
    const path = '/internal/payments';
    const body = JSON.stringify(request);
    const token = await this.options.signRequest('payment', { method: 'POST', path, body });
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'gaji-correlation-id': request.purchaseId,
          traceparent: outgoingTraceparent(),
        },
        body,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new TaskCancelledError();
      throw new PaymentServiceFailure(`payment unreachable: ${(error as Error).message}`);
    }
    if (response.status === 200) {
      const body = (await response.json()) as { paymentId: string };
      return { kind: 'paid', paymentId: body.paymentId };
    }
    if (response.status === 402 || response.status === 409) return { kind: 'declined' };
    if (response.status >= 500) throw new PaymentServiceFailure(`payment answered ${response.status}`);
    // 4xx other than the above is our request's fault, not payment's health: no breaker penalty.
    this.options.logger.error(
      { status: response.status, body: await response.text() },
      'payment refused the request',
    );
    return { kind: 'unavailable', retryAfterSeconds: 1 };
  }
}
