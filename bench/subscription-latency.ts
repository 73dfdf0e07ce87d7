/**
 * npm run bench — event published → client frame latency of live subscriptions.
 *
 * Boots the whole system in-process (real PostgreSQL, real JetStream, as the e2e tests do), opens
 * N graphql-ws clients through the gateway (1, 100, 1000), runs purchase/cancel cycles and
 * measures, per delivered frame, the time from the moment the event landed in JetStream (seen by
 * a plain NATS subscription in this process) to the moment the client's socket delivered the frame.
 * Clients and servers share this process and 2 cores: read the numbers as ratios between runs.
 */
import { connect } from '@nats-io/transport-node';
import { eventually } from '@gaji/testkit';
import { LiveClient } from '../test/support/live-client.js';
import { Shopper } from '../test/support/marketplace.js';
import { TestSystem } from '../test/support/test-system.js';
import { percentile } from './support/load.js';

const QUERY = 'subscription { purchaseStatusChanged { cursor change purchase { id status } } }';
const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1,100,1000').split(',').map(Number);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 10);

async function main(): Promise<void> {
  const system = await TestSystem.start('bench');
  const nc = await connect({ servers: system.natsUrl });
  const landed = new Map<string, number>(); // cursor (stream seq) → when the event reached JetStream
  const js = (await import('@nats-io/jetstream')).jetstream(nc);
  const probe = await js.consumers.get(system.stream.stream, {
    filter_subjects: `${system.stream.subjectPrefix}.>`,
  });
  const probeMessages = await probe.consume();
  void (async () => {
    for await (const message of probeMessages) landed.set(String(message.seq), performance.now());
  })();

  const rows: string[] = [];
  try {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Bench seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Bench buyer');
    for (const size of SIZES) {
      const received: { cursor: string; at: number }[] = [];
      const clients: LiveClient[] = [];
      const baseline = system.gateway.live.subscribers();
      for (let i = 0; i < size; i++) {
        const client = new LiveClient(system.websocketUrl, seller.token);
        const push = client.received.push.bind(client.received);
        client.received.push = (...items) => {
          for (const item of items)
            received.push({
              cursor: (item as { purchaseStatusChanged: { cursor: string } }).purchaseStatusChanged.cursor,
              at: performance.now(),
            });
          return push(...items);
        };
        clients.push(client.subscribe(QUERY));
      }
      await eventually(() => {
        if (system.gateway.live.subscribers() < baseline + size) throw new Error('not yet');
      }, 60_000);

      const started = performance.now();
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const productId = await seller.register({ title: `Bench ${size}/${cycle}` });
        const purchaseId = await eventually(async () => (await buyer.buy(productId)).data!.buy.id);
        await buyer.cancel(purchaseId);
      }
      const expected = size * CYCLES * 3; // PLACED, CANCELLED, REFUNDED per cycle
      await eventually(() => {
        if (received.length < expected) throw new Error(`${received.length}/${expected}`);
      }, 120_000);
      const elapsed = (performance.now() - started) / 1000;
      const latencies = received
        .map((frame) => frame.at - (landed.get(frame.cursor) ?? frame.at))
        .sort((a, b) => a - b);
      const rss = Math.round(process.memoryUsage().rss / 1_048_576);
      rows.push(
        `${String(size).padStart(11)} | ${String(received.length).padStart(7)} | ${percentile(latencies, 50).toFixed(1).padStart(7)} | ${percentile(latencies, 99).toFixed(1).padStart(7)} | ${percentile(latencies, 100).toFixed(1).padStart(7)} | ${(received.length / elapsed).toFixed(0).padStart(8)} | ${String(rss).padStart(6)}`,
      );
      await Promise.all(clients.map((client) => client.close()));
      await eventually(() => {
        if (system.gateway.live.subscribers() > baseline) throw new Error('closing');
      }, 30_000);
    }
  } finally {
    await probeMessages.close();
    await nc.close();
    await system.stop();
  }
  console.log(
    `\nLive subscriptions: event in JetStream → frame at the client (ms), ${CYCLES} buy/cancel cycles per row`,
  );
  console.log('subscribers |  frames |     p50 |     p99 |     max | frames/s | RSS MB');
  for (const row of rows) console.log(row);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
