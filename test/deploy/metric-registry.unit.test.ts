import { ContextMetrics, GatewayMetrics } from '@gaji/platform/metrics';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from './support/metric-catalogue.js';

interface Registered {
  name: string;
  type: string;
  labels: string[];
}

/** What a service's registry holds, as prom-client describes each metric. */
async function registered(metrics: GatewayMetrics | ContextMetrics): Promise<Registered[]> {
  await metrics.registry.getMetricsAsJSON(); // runs every collect, as a scrape would
  return metrics.registry.getMetricsAsArray().map((metric) => {
    const described = metric as unknown as { name: string; type: string; labelNames?: string[] };
    return { name: described.name, type: described.type, labels: [...(described.labelNames ?? [])] };
  });
}

describe('the metric catalogue and the code', () => {
  it('every catalogued metric is registered by a gateway or a context, with its type and labels', async () => {
    const all = [
      ...(await registered(new GatewayMetrics())),
      ...(await registered(new ContextMetrics('product'))),
    ];
    for (const metric of metricCatalogue().metrics) {
      const found = all.filter((candidate) => candidate.name === metric.name);
      expect(found, metric.name).not.toHaveLength(0);
      for (const one of found) {
        expect(one.type, metric.name).toBe(metric.type);
        expect(one.labels.sort(), metric.name).toEqual([...metric.labels].sort());
      }
    }
  });

  it('no gaji_ metric is served that the catalogue does not list', async () => {
    const names = new Set(metricCatalogue().metrics.map((metric) => metric.name));
    for (const metrics of [new GatewayMetrics(), new ContextMetrics('member')])
      for (const { name } of await registered(metrics))
        if (name.startsWith('gaji_')) expect(names, name).toContain(name);
  });

  it('the runtime metrics are there under the catalogued prefixes, with the service label', async () => {
    const metrics = new ContextMetrics('payment');
    const { runtimeMetricPrefixes } = metricCatalogue();
    // Read from what /metrics serves: the runtime metrics are the process's, merged in at scrape.
    const { body } = await metrics.scrape();
    const runtime = [...body.matchAll(/^# TYPE (\S+) /gm)].filter(([, name]) =>
      runtimeMetricPrefixes.some((prefix) => name!.startsWith(prefix)),
    );
    expect(runtime.length).toBeGreaterThan(5);
    expect(body).toMatch(/^process_cpu_seconds_total\{service="payment"\} /m);
  });
});
