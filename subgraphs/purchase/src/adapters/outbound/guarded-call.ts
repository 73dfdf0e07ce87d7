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
  type IPolicy,
} from 'cockatiel';
import type { ServiceTokenSigner } from '@gaji/platform/auth';
import type { Logger } from '@gaji/platform/logging';
import type { ServiceMetrics } from '@gaji/platform/metrics';
import { inSpan, SpanKind } from '@gaji/platform/tracing';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What each of purchase's internal HTTP clients is configured with. */
export interface InternalCallOptions {
  /** Base URL of the callee's internal HTTP endpoint, e.g. http://127.0.0.1:4004 */
  baseUrl: string;
  timeoutMs: number;
  /** Consecutive failures (timeouts, 5xx, connection errors) that open the breaker. */
  failuresToOpen: number;
  /** How long the breaker stays open before letting one trial call through. */
  halfOpenAfterMs: number;
  /** Purchase's service identity: internal routes refuse anyone else. */
  signRequest: ServiceTokenSigner;
  logger: Logger;
  /** Where the breaker's state and its refusals are counted. */
  metrics?: ServiceMetrics;
}

export interface GuardedCallOptions {
  /** The breaker's name in logs and metrics (breaker="<name>"). */
  name: string;
  timeoutMs: number;
  /** Consecutive failures (timeouts and what `isFailure` accepts) that open the breaker. */
  failuresToOpen: number;
  /** How long the breaker stays open before letting one trial call through. */
  halfOpenAfterMs: number;
  /** What counts against the breaker besides a timeout: the callee was slow, down or answered nonsense. */
  isFailure: (error: unknown) => boolean;
  logger: Logger;
  metrics?: ServiceMetrics;
}

/**
 * The policy every synchronous call purchase makes to another service runs under (cockatiel): a
 * timeout bounds each call, and a circuit breaker stops calling a service that keeps failing, so a
 * buyer hears "try again shortly" at once instead of waiting. Its state and refusals are counted.
 */
export class GuardedCall {
  readonly policy: IPolicy<{ signal: AbortSignal }>;
  private readonly breaker;

  constructor(private readonly options: GuardedCallOptions) {
    const { name, logger, metrics } = options;
    this.breaker = circuitBreaker(
      handleWhen((error) => options.isFailure(error) || error instanceof TaskCancelledError),
      { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failuresToOpen) },
    );
    this.breaker.onBreak(() => logger.warn({ breaker: name }, 'circuit breaker opened'));
    this.breaker.onReset(() => logger.info({ breaker: name }, 'circuit breaker closed'));
    this.breaker.onStateChange(() => metrics?.setBreakerState(name, this.state));
    metrics?.setBreakerState(name, 'closed');
    metrics?.breakerRefusals.inc({ breaker: name }, 0);
    this.policy = wrap(this.breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  get state(): BreakerState {
    const state = this.breaker.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /**
   * One call under the policy, in a client span named `span`. When it cannot be made (the open
   * breaker refuses it: counted) or fails (a timeout, or what `isFailure` accepts: logged), the
   * caller gets `fallback()` — its way of saying "try again shortly".
   */
  async run<T>(
    span: string,
    attributes: Record<string, string>,
    call: (signal: AbortSignal) => Promise<T>,
    fallback: () => T,
  ): Promise<T> {
    const { name, logger, metrics } = this.options;
    try {
      return await inSpan(span, { kind: SpanKind.CLIENT, attributes }, () =>
        this.policy.execute(({ signal }) => call(signal)),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) metrics?.breakerRefusals.inc({ breaker: name });
      else logger.warn({ err: error, breaker: name, ...attributes }, `${span} failed`);
      return fallback();
    }
  }

  /**
   * `fetch` for a call under the policy: a callee that cannot be reached is `failure` (counts
   * against the breaker); the policy's own timeout stays a timeout.
   */
  async fetch(url: string, init: RequestInit & { signal: AbortSignal }, failure: (message: string) => Error) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (init.signal.aborted) throw new TaskCancelledError();
      throw failure(`${this.options.name} unreachable: ${(error as Error).message}`);
    }
  }

  /** What a caller is told to wait when the call could not be made. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.halfOpenAfterMs / 1000));
  }
}
