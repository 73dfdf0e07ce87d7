import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@gaji/platform/logging';
import { ServiceMetrics } from '@gaji/platform/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPaymentGateway } from '../../src/adapters/outbound/payment/http-payment-gateway.js';

let payment: Server | undefined;
afterEach(() => payment?.close());

/** A payment service on loopback that is overloaded: every call answers 503. */
async function overloadedPayment(): Promise<{ url: string; calls: () => number }> {
  let calls = 0;
  payment = createServer((_req, res) => {
    calls += 1;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: 'busy' }));
  });
  await new Promise<void>((resolve) => payment!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(payment.address() as AddressInfo).port}`, calls: () => calls };
}

async function figure(metrics: ServiceMetrics, name: string): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((one) => one.name === name);
  return metric?.values.find((value) => value.labels.breaker === 'payment')?.value;
}

describe("the payment breaker's metrics", () => {
  it('shows the breaker open (2) once payment keeps failing, and counts the calls it refused', async () => {
    const { url, calls } = await overloadedPayment();
    const metrics = new ServiceMetrics('purchase');
    const gateway = new HttpPaymentGateway({
      baseUrl: url,
      timeoutMs: 2_000,
      failuresToOpen: 2,
      halfOpenAfterMs: 60_000,
      signRequest: async () => 'not checked by this stand-in',
      logger: createLogger('test', 'silent'),
      metrics,
    });
    const request = () =>
      gateway.authorize({
        purchaseId: randomUUID(),
        productId: randomUUID(),
        buyerId: randomUUID(),
        sellerId: randomUUID(),
        amountKrw: 1_000,
      });
    expect(await figure(metrics, 'gaji_breaker_state')).toBe(0);

    for (let i = 0; i < 2; i += 1) expect((await request()).kind).toBe('unavailable');
    expect(await figure(metrics, 'gaji_breaker_state')).toBe(2);
    expect(await figure(metrics, 'gaji_breaker_refusals_total')).toBe(0);

    for (let i = 0; i < 3; i += 1) expect((await request()).kind).toBe('unavailable');
    expect(await figure(metrics, 'gaji_breaker_refusals_total')).toBe(3);
    expect(calls()).toBe(2); // the refused calls never reached payment
  });
});
