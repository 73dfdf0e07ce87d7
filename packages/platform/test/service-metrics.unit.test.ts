import perfHooks from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricValue } from 'prom-client';
import { ServiceMetrics } from '../src/metrics/service-metrics.js';

async function latencySeries(metrics: ServiceMetrics) {
  const [histogram] = (await metrics.registry.getMetricsAsJSON()).filter(
    (metric) => metric.name === 'gaji_graphql_request_duration_seconds',
  );
  // A histogram's values carry the name of their series (`…_bucket`, `…_count`), which prom-client
  // types only on a metric's own get(), not on the registry's JSON.
  return histogram!.values as (MetricValue<string> & { metricName?: string })[];
}

async function operations(metrics: ServiceMetrics): Promise<Set<string>> {
  return new Set((await latencySeries(metrics)).map((value) => String(value.labels.operation)));
}

/** How many requests the latency histogram counted under one operation label. */
async function requestCount(metrics: ServiceMetrics, operation: string): Promise<number> {
  return (await latencySeries(metrics))
    .filter(
      (value) =>
        value.metricName === 'gaji_graphql_request_duration_seconds_count' &&
        value.labels.operation === operation,
    )
    .reduce((sum, value) => sum + value.value, 0);
}

describe('the operation label of request latency', () => {
  it('is the operation name, `anonymous` without one, and `invalid` for what is not a GraphQL name', async () => {
    const metrics = new ServiceMetrics('gateway');
    metrics.observeRequest('Buy', 'ok', 0.01);
    metrics.observeRequest(undefined, 'ok', 0.01);
    metrics.observeRequest('drop table; --', 'BAD_USER_INPUT', 0.01);
    expect(await operations(metrics)).toEqual(new Set(['Buy', 'anonymous', 'invalid']));
  });

  it('keeps at most 200 distinct names: a client inventing names cannot grow the series for ever', async () => {
    const metrics = new ServiceMetrics('gateway');
    for (let i = 0; i < 500; i += 1) metrics.observeRequest(`Invented${i}`, 'ok', 0.001);
    metrics.observeRequest('Invented0', 'ok', 0.001);
    const names = await operations(metrics);
    expect(names.size).toBe(201);
    expect(names).toContain('other');
    expect(names).toContain('Invented0');
    expect(names).not.toContain('Invented200');
  });

  it('counts every request beyond the cap under `other`, and never lets a late name take a label', async () => {
    const metrics = new ServiceMetrics('gateway');
    for (let i = 0; i < 500; i += 1) metrics.observeRequest(`Invented${i}`, 'ok', 0.001);
    // Seen again: an admitted name keeps its own series, a refused one stays in `other`.
    metrics.observeRequest('Invented0', 'ok', 0.001);
    metrics.observeRequest('Invented499', 'ok', 0.001);

    expect(await requestCount(metrics, 'other')).toBe(301);
    expect(await requestCount(metrics, 'Invented0')).toBe(2);
    expect(await requestCount(metrics, 'Invented199')).toBe(1);
  });
});

describe('the runtime metrics of a process hosting several services', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('are measured by one event-loop delay monitor and one GC observer, however many services it hosts', () => {
    // Watched where prom-client's default collectors start them (it reads Node's perf_hooks at
    // call time); the spies pass every call through. Earlier tests here may already have started
    // the process's pair, so at most one of each is started from now on.
    const monitors = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const observe = vi.spyOn(perfHooks.PerformanceObserver.prototype, 'observe');
    for (const service of ['member', 'product', 'purchase', 'payment', 'gateway'])
      new ServiceMetrics(service);
    const gcObservers = observe.mock.calls.filter(
      ([options]) =>
        ('type' in options && options.type === 'gc') ||
        ('entryTypes' in options && options.entryTypes.includes('gc')),
    );
    expect(monitors.mock.calls.length).toBeLessThanOrEqual(1);
    expect(gcObservers.length).toBeLessThanOrEqual(1);
  });

  it('are served by every service under its own label, whichever was read first or how', async () => {
    const services = [new ServiceMetrics('member'), new ServiceMetrics('product')];
    // The JSON export labels what it exports in place: it must not relabel the other's series.
    await services[0]!.registry.getMetricsAsJSON();
    for (const metrics of services) {
      const { body } = await metrics.scrape();
      const series = (name: string) => new RegExp(`^${name}\\{service="${metrics.service}"\\} `, 'gm');
      expect(body.match(series('process_cpu_seconds_total'))).toHaveLength(1);
      expect(body).toMatch(series('nodejs_eventloop_lag_p99_seconds'));
      expect(body.match(/^process_cpu_seconds_total\{/gm)).toHaveLength(1);
    }
  });
});
