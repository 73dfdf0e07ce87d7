import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsRoute } from '../src/metrics/metrics-route.js';
import { ServiceMetrics } from '../src/metrics/service-metrics.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function serve(refuseProxied: boolean): Promise<string> {
  const metrics = new ServiceMetrics('member');
  metrics.rateLimitRefusals.inc({ limit: 'sign-ups per address' });
  const app = express();
  app.get('/metrics', metricsRoute(metrics, { refuseProxied }));
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('GET /metrics', () => {
  it('answers Prometheus text with the service label on every series', async () => {
    const response = await fetch(await serve(true));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(await response.text()).toContain(
      'gaji_rate_limit_refusals_total{limit="sign-ups per address",service="member"} 1',
    );
  });

  it('in production refuses a scrape that came through a proxy, as the public reaches the gateway', async () => {
    const url = await serve(true);
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(404);
    expect((await fetch(url, { headers: { forwarded: 'for=203.0.113.9' } })).status).toBe(404);
  });

  it('outside production answers proxied scrapes too (compose runs no ingress)', async () => {
    const url = await serve(false);
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(200);
  });
});
