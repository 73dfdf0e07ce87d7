import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@gaji/platform/logging';
import { ServiceMetrics } from '@gaji/platform/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPaymentGateway } from '../../src/adapters/outbound/payment/http-payment-gateway.js';

let payment: Server | undefined;
afterEach(async () => {
  // Kept-alive sockets first, or close() would wait for them.
  payment?.closeAllConnections();
  await new Promise((resolve) => (payment ? payment.close(resolve) : resolve(undefined)));
  payment = undefined;
});

/** A payment service on loopback whose refund answers 200 with a payment of this status. */
async function paymentAnsweringRefundsWith(
  status: string,
  logged: string[] = [],
): Promise<HttpPaymentGateway> {
  payment = createServer((req, res) => {
    const purchaseId = decodeURIComponent(req.url!.split('/')[3]!);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...{ paymentId: randomUUID(), purchaseId, productId: randomUUID() },
        ...{ buyerId: randomUUID(), sellerId: randomUUID(), status, amountKrw: 15_000 },
        completedAt: '2026-11-30T01:00:00.000Z',
        cancelledAt: status === 'CANCELLED' ? '2026-11-30T01:05:00.000Z' : null,
      }),
    );
  });
  await new Promise<void>((resolve) => payment!.listen(0, '127.0.0.1', resolve));
  return new HttpPaymentGateway({
    baseUrl: `http://127.0.0.1:${(payment.address() as AddressInfo).port}`,
    timeoutMs: 2_000,
    failuresToOpen: 2,
    halfOpenAfterMs: 60_000,
    signRequest: async () => 'not checked by this stand-in',
    logger: createLogger('test', 'error', { write: (line: string) => logged.push(line) }),
    metrics: new ServiceMetrics('purchase'),
  });
}

describe("purchase reads payment's refund answer by the contract", () => {
  it('a 200 with the payment CANCELLED is a refund', async () => {
    const gateway = await paymentAnsweringRefundsWith('CANCELLED');
    expect(await gateway.refund(randomUUID())).toEqual({ kind: 'refunded' });
  });

  it('a 200 with the payment still COMPLETED is a refusal, neither a refund nor payment being away, logged with its code', async () => {
    const logged: string[] = [];
    const gateway = await paymentAnsweringRefundsWith('COMPLETED', logged);
    const purchaseIds = [randomUUID(), randomUUID()];
    for (const purchaseId of purchaseIds)
      expect(await gateway.refund(purchaseId)).toEqual({ kind: 'refused' });
    // The cancel does not read payment's code: the log is where it is kept, by purchase.
    expect(logged.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual(
      purchaseIds.map((purchaseId) => expect.objectContaining({ purchaseId, code: 'CONTRACT_VIOLATION' })),
    );
    // A contract break is not payment's health: the breaker stays closed.
    expect(gateway.breakerState).toBe('closed');
  });
});
