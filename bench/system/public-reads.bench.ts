import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { bearer, graphql } from '@gaji/testkit';
import { withSecurityFeaturesEnforcedByGateway } from '../../gateway/src/auth/security-features.js';
import { supergraphPath } from '../../gateway/src/composition/subgraph-registry.js';
import { answerOf, answeredCleanly, interleaved, noiseOf, type Side } from '../support/load.js';
import type { BenchRow, BenchSection } from '../support/report.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { QUICK, RUN } from '../support/settings.js';
import { startOurGateway, startSystemBehindGateway, type WholeSystem } from './system-behind-gateway.js';

/** The market page as the web client asks it (web/src/market/market.operations.ts). */
const MARKET_PAGE = `query MarketProducts($filter: ProductFilter, $first: Int, $after: String) {
  products(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id title priceKrw imageUrl status registeredAt seller { id nickname } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CONNECTIONS = 50;
const VISIBILITY_SAMPLES = QUICK ? 5 : 20;

/**
 * Public reads through the gateway over the real subgraphs: our gateway without its response
 * cache beside stock Apollo (never slower), the cache's hits beside the same gateway uncached
 * (≥ 10×), and how soon a change shows through the cache after its event lands in JetStream.
 */
export async function publicReadsBench(): Promise<BenchSection> {
  const directory = mkdtempSync(join(tmpdir(), 'gaji-bench-'));
  const started: ServiceProcess<{ url: string }>[] = [];
  // Our gateway with its response cache on (the default) is the one started with the system.
  const behind = await startSystemBehindGateway({ BENCH_PRODUCTS: '40' }, 240_000);
  const { system, gateway: cached } = behind;
  try {
    const { info } = system;
    const supergraphFile = join(directory, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      withSecurityFeaturesEnforcedByGateway(readFileSync(supergraphPath, 'utf8')),
    );
    const uncached = await startOurGateway(info, { RESPONSE_CACHE_MAX_ENTRIES: '0' });
    started.push(uncached);
    const stock = await startServiceProcess<{ url: string }>('gateway-bound/stock-gateway.ts', {
      BENCH_SUPERGRAPH: supergraphFile,
      BENCH_SUBGRAPH_URLS: JSON.stringify(
        Object.fromEntries(
          Object.entries(info.urls).map(([key, url]) => [key.replace(/_URL$/, '').toLowerCase(), url]),
        ),
      ),
    });
    started.push(stock);

    const body = JSON.stringify({ query: MARKET_PAGE, variables: { first: 20 } });
    const target = (service: ServiceProcess<{ url: string }>) => ({
      url: service.info.url,
      pid: service.pid,
      body,
    });
    const answers = await Promise.all([cached, uncached, stock].map((service) => answerOf(target(service))));
    if (
      !answers.every((answer) => isDeepStrictEqual(answer, answers[0])) ||
      (answers[0] as { errors?: unknown }).errors
    )
      throw new Error(
        `the gateways answer the market page differently: ${JSON.stringify(answers).slice(0, 600)}`,
      );

    const gatewaySides: Side[] = [
      { name: 'ours', target: target(uncached) },
      { name: 'stock', target: target(stock) },
    ];
    const vsStock = await interleaved(gatewaySides, { ...RUN, connections: CONNECTIONS });
    const our = vsStock.get('ours')!;
    const base = vsStock.get('stock')!;
    const cacheSides: Side[] = [
      { name: 'hit', target: target(cached) },
      { name: 'uncached', target: target(uncached) },
    ];
    const vsUncached = await interleaved(cacheSides, { ...RUN, connections: CONNECTIONS });
    const hit = vsUncached.get('hit')!;
    const miss = vsUncached.get('uncached')!;
    const visibility = await changeVisibility(info, cached.info.url);

    const rows: BenchRow[] = [
      {
        benchmark: '20 products page via gateway, no cache',
        measure: `requests/s, ${CONNECTIONS} connections`,
        unit: 'req/s',
        ours: our.requestsPerSecond,
        baseline: base.requestsPerSecond,
        baselineName: 'stock',
        ratio: our.requestsPerSecond / base.requestsPerSecond,
        target: '≥ 1.0×',
        met: our.requestsPerSecond >= base.requestsPerSecond && answeredCleanly(our, base),
        noise: noiseOf([our, base], (r) => r.requestsPerSecond),
      },
      {
        benchmark: '20 products page via gateway, no cache',
        measure: 'requests per gateway CPU-second',
        unit: 'req/CPU-s',
        ours: our.requestsPerCpuSecond,
        baseline: base.requestsPerCpuSecond,
        baselineName: 'stock',
        ratio: our.requestsPerCpuSecond / base.requestsPerCpuSecond,
        target: '≥ 1.0×',
        met: our.requestsPerCpuSecond >= base.requestsPerCpuSecond && answeredCleanly(our, base),
        noise: noiseOf([our, base], (r) => r.requestsPerCpuSecond),
      },
      {
        benchmark: '20 products page via gateway',
        measure: `cache hit vs uncached, requests/s, ${CONNECTIONS} connections`,
        unit: 'req/s',
        ours: hit.requestsPerSecond,
        baseline: miss.requestsPerSecond,
        baselineName: 'uncached',
        ratio: hit.requestsPerSecond / miss.requestsPerSecond,
        target: '≥ 10×',
        met: hit.requestsPerSecond >= 10 * miss.requestsPerSecond && answeredCleanly(hit, miss),
        noise: noiseOf([hit, miss], (r) => r.requestsPerSecond),
      },
      {
        benchmark: 'response cache',
        measure: `change visible after its event lands in JetStream, max of ${visibility.length}`,
        unit: 'ms',
        ours: Math.max(...visibility),
        target: '≤ 100 ms',
        met: Math.max(...visibility) <= 100,
      },
    ];
    return {
      rows,
      commands: [
        system.command,
        cached.command,
        `RESPONSE_CACHE_MAX_ENTRIES=0 ${uncached.command}`,
        stock.command,
      ],
      notes: [
        `public reads: 40 listed products, the web client's MarketProducts query (first: 20, sellers' nicknames from member); ${RUN.rounds} rounds × ${RUN.seconds} s per side, ${CONNECTIONS} connections; p99 ours ${our.p99Ms} ms, stock ${base.p99Ms} ms, cache hit ${hit.p99Ms} ms; failed requests (errors, timeouts, non-2xx, GraphQL errors in a 200) ours ${our.errors}, stock ${base.errors}, cache hit ${hit.errors}, uncached ${miss.errors} (a row is met only with none on either side, and requests answered on both); the subgraphs, PostgreSQL and NATS share the 2 cores with the gateways.`,
        `change visibility (ms, each sample: a product registered at the product subgraph, around the gateway; from the moment its ProductRegistered lands in JetStream to the first cached-gateway answer listing it, polled every 2 ms): ${visibility.map((ms) => ms.toFixed(1)).join(', ')}.`,
      ],
    };
  } finally {
    for (const service of started.reverse()) await service.stop();
    await behind.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Per sample: event in JetStream → first answer through the cached gateway that shows the change. */
async function changeVisibility(info: WholeSystem, gatewayUrl: string): Promise<number[]> {
  const nc = await connect({ servers: info.natsUrl });
  const landed = new Map<string, number>();
  const consumer = await jetstream(nc).consumers.get(info.stream, {
    filter_subjects: `${info.subjectPrefix}.>`,
  });
  const messages = await consumer.consume();
  void (async () => {
    for await (const message of messages) {
      const event = message.json<{ type: string; payload: { title?: string } }>();
      if (event.type === 'ProductRegistered' && event.payload.title)
        landed.set(event.payload.title, performance.now());
    }
  })();
  const samples: number[] = [];
  try {
    const body = JSON.stringify({ query: MARKET_PAGE, variables: { first: 20 } });
    for (let sample = 0; sample < VISIBILITY_SAMPLES; sample++) {
      const title = `Visibility ${sample} ${Date.now()}`;
      await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body }); // cache it
      const registered = graphql(
        info.urls.PRODUCT_URL!,
        'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }',
        { input: { title, priceKrw: 5_000 } },
        bearer(info.sellerToken),
      );
      const deadline = performance.now() + 10_000;
      let seenAt: number | undefined;
      while (performance.now() < deadline) {
        const answer = await (
          await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        ).text();
        if (answer.includes(title)) {
          seenAt = performance.now();
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await registered;
      const landedAt = landed.get(title);
      if (seenAt === undefined || landedAt === undefined)
        throw new Error(`change ${title} never became visible`);
      // A reader can see the row before the event lands (committed first, published after): 0 then.
      samples.push(Math.max(0, seenAt - landedAt));
    }
  } finally {
    await messages.close();
    await nc.close();
  }
  return samples;
}
