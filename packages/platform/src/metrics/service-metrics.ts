import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

/** Seconds; from a cached read (5 ms) to a buy waiting on a slow payment (10 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let runtime: Registry | undefined;

/**
 * The runtime's metrics (process_*, nodejs_*), created once per process. Each call of
 * prom-client's collectDefaultMetrics starts an event-loop delay monitor and a GC observer of its
 * own that nothing stops, so a process hosting several contexts (the tests, the whole-system
 * benchmark) would run one of each per context, all measuring the same process. Every service
 * serves them with its own `service` label (see scrape). One consequence: the event-loop lag
 * gauges reset on each scrape of any service in the process, not of each.
 */
function runtimeMetrics(): Registry {
  if (!runtime) {
    runtime = new Registry();
    collectDefaultMetrics({ register: runtime });
  }
  return runtime;
}

/**
 * The metrics every Gaji Market process serves at `/metrics`, named and labelled exactly as
 * deploy/prometheus/metric-catalogue.yaml lists them (the alert rules and the dashboard read
 * that catalogue). One registry per service, not prom-client's global one: the tests run every
 * service in one process, and each must still answer only for itself. Every series carries a
 * `service` label.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'gaji_graphql_request_duration_seconds',
    help: 'Time to answer one GraphQL operation, by operation name and outcome (`ok` or the error code).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'gaji_breaker_state',
    help: "A circuit breaker's state; 0 closed, 1 half-open, 2 open.",
    labelNames: ['breaker'] as const,
    registers: [this.registry],
  });

  readonly breakerRefusals = new Counter({
    name: 'gaji_breaker_refusals_total',
    help: 'Calls refused at once because the breaker was open.',
    labelNames: ['breaker'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: 'gaji_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  // Operation names are chosen by clients: only plain names become a label value, and only so
  // many distinct ones, so a script sending random names cannot grow the series without bound.
  // The first names seen keep their label for the life of the process and every later newcomer is
  // counted as `other`. Evicting old names for new ones (an LRU) would bound memory here but not
  // in Prometheus: each admitted name is a new series that stays in the TSDB until it ages out, so
  // churn grows storage as fast as no cap, and a name evicted and readmitted breaks its own
  // rate(). A frozen set keeps every series continuous; the web client's few operations are among
  // the first names a process sees, and a restart starts the set afresh.
  private readonly operationNames = new Set<string>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    // Started with the first service, so that GC durations count from start-up as before.
    runtimeMetrics();
  }

  /** One answered GraphQL operation: `outcome` is `ok` or the first error's code. */
  observeRequest(operationName: string | null | undefined, outcome: string, seconds: number): void {
    this.requestDuration.observe({ operation: this.operationLabel(operationName), outcome }, seconds);
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** A breaker's state as the gauge encodes it (0 closed, 1 half-open, 2 open). */
  setBreakerState(breaker: string, state: 'closed' | 'half-open' | 'open'): void {
    this.breakerState.set({ breaker }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    // Merged at each scrape rather than registered into every service's registry: prom-client's
    // JSON export writes a registry's default labels into the metric objects themselves, so one
    // runtime metric held by several labelled registries would carry whichever service was
    // exported last. The text export copies labels, so this registry labels them for this scrape.
    const served = Registry.merge([this.registry, runtimeMetrics()]);
    served.setDefaultLabels({ service: this.service });
    return { contentType: served.contentType, body: await served.metrics() };
  }
}
