import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTestStream } from '@gaji/testkit';
import { answerOf, answeredCleanly, interleaved, noiseOf, type Side } from '../support/load.js';
import type { BenchSection } from '../support/report.js';
import { startServiceProcess } from '../support/service-process.js';
import { RUN } from '../support/settings.js';
import { DEEP_QUERY } from './benchmark-data.js';

const CONNECTIONS = 20;

interface Subgraphs {
  urls: Record<string, string>;
  supergraphSdl: string;
  jwksUrl: string;
  token: string;
}

/**
 * Gateway-bound: the public gateway benchmark's deep query over four in-memory subgraphs, our
 * gateway (every feature on, a real JWT per request) beside stock Apollo, interleaved; the figure
 * is requests answered per CPU-second of the gateway process.
 */
export async function gatewayBoundBench(): Promise<BenchSection> {
  const directory = mkdtempSync(join(tmpdir(), 'gaji-bench-'));
  const stream = createTestStream('benchgw');
  const subgraphs = await startServiceProcess<Subgraphs>('gateway-bound/benchmark-subgraphs.ts');
  const supergraphFile = join(directory, 'supergraph.graphql');
  writeFileSync(supergraphFile, subgraphs.info.supergraphSdl);
  const stock = await startServiceProcess<{ url: string }>('gateway-bound/stock-gateway.ts', {
    BENCH_SUPERGRAPH: supergraphFile,
  });
  const ourEnv = {
    NODE_ENV: 'production',
    BENCH_SUPERGRAPH: supergraphFile,
    BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphs.info.urls),
    MEMBER_JWKS_URL: subgraphs.info.jwksUrl,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    // The deep query nests lists five levels down: admitted by raising the cost limit, not by
    // turning the limits off.
    QUERY_ASSUMED_LIST_SIZE: '5',
    QUERY_MAX_COST: '100000',
  };
  const ours = await startServiceProcess<{ url: string }>('gateway-bound/our-gateway.ts', ourEnv);
  // BENCH_GATEWAY_BEFORE=<another checkout, dependencies installed>: its gateway runs as a third
  // side, so a change is measured before and after in one run.
  const before = process.env.BENCH_GATEWAY_BEFORE
    ? await startServiceProcess<{ url: string }>(
        join(process.env.BENCH_GATEWAY_BEFORE, 'bench/gateway-bound/our-gateway.ts'),
        ourEnv,
      )
    : undefined;
  try {
    const body = JSON.stringify({ query: DEEP_QUERY, operationName: 'TestQuery' });
    const sides: Side[] = [
      {
        name: 'ours',
        target: {
          url: ours.info.url,
          pid: ours.pid,
          body,
          headers: { authorization: `Bearer ${subgraphs.info.token}` },
        },
      },
      { name: 'stock', target: { url: stock.info.url, pid: stock.pid, body } },
      ...(before
        ? [
            {
              name: 'before',
              target: {
                url: before.info.url,
                pid: before.pid,
                body,
                headers: { authorization: `Bearer ${subgraphs.info.token}` },
              },
            },
          ]
        : []),
    ];
    const [ourAnswer, stockAnswer, beforeAnswer = ourAnswer] = await Promise.all(
      sides.map((side) => answerOf(side.target)),
    );
    if (
      !isDeepStrictEqual(ourAnswer, stockAnswer) ||
      !isDeepStrictEqual(beforeAnswer, stockAnswer) ||
      (ourAnswer as { errors?: unknown }).errors
    )
      throw new Error(
        `the gateways answer differently:\n${JSON.stringify(ourAnswer).slice(0, 500)}\n${JSON.stringify(stockAnswer).slice(0, 500)}`,
      );

    const results = await interleaved(sides, { ...RUN, connections: CONNECTIONS });
    const our = results.get('ours')!;
    const base = results.get('stock')!;
    const previous = results.get('before');
    const perCpu = our.requestsPerCpuSecond / base.requestsPerCpuSecond;
    const cpuNoise = (...sides: (typeof our)[]) => noiseOf(sides, (r) => r.requestsPerCpuSecond);
    const noise = cpuNoise(our, base);
    const beforeErrors = previous ? `, before ${previous.errors}` : '';
    return {
      rows: [
        {
          benchmark: 'gateway-bound deep query',
          measure: 'requests per gateway CPU-second',
          unit: 'req/CPU-s',
          ours: our.requestsPerCpuSecond,
          baseline: base.requestsPerCpuSecond,
          baselineName: 'stock',
          ratio: perCpu,
          target: '≥ 1.5×',
          met: perCpu >= 1.5 && answeredCleanly(our, base),
          noise,
        },
        ...(previous
          ? [
              {
                benchmark: 'gateway-bound deep query, before (BENCH_GATEWAY_BEFORE)',
                measure: 'requests per gateway CPU-second',
                unit: 'req/CPU-s',
                ours: previous.requestsPerCpuSecond,
                baseline: base.requestsPerCpuSecond,
                baselineName: 'stock',
                ratio: previous.requestsPerCpuSecond / base.requestsPerCpuSecond,
                target: 'report',
                met: null,
                noise: cpuNoise(previous, base),
              },
              {
                benchmark: 'gateway-bound deep query, after vs before',
                measure: 'requests per gateway CPU-second',
                unit: 'req/CPU-s',
                ours: our.requestsPerCpuSecond,
                baseline: previous.requestsPerCpuSecond,
                baselineName: 'before',
                ratio: our.requestsPerCpuSecond / previous.requestsPerCpuSecond,
                target: 'report',
                met: null,
                noise: cpuNoise(our, previous),
              },
            ]
          : []),
        {
          benchmark: 'gateway-bound deep query',
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
      ],
      commands: [subgraphs.command, stock.command, ours.command, ...(before ? [before.command] : [])],
      notes: [
        `gateway-bound: ${RUN.rounds} rounds × ${RUN.seconds} s per side after ${RUN.warmupSeconds} s warm-up, ${CONNECTIONS} connections, autocannon; p99 ours ${our.p99Ms} ms, stock ${base.p99Ms} ms; errors ours ${our.errors}, stock ${base.errors}${beforeErrors}. Our gateway checks a real EdDSA JWT on every request (its signature verified once per token per minute, expiry and revocation every time) and enforces the operation limits (QUERY_ASSUMED_LIST_SIZE=5, QUERY_MAX_COST=100000) and auth directives.`,
      ],
    };
  } finally {
    await before?.stop();
    await ours.stop();
    await stock.stop();
    await subgraphs.stop();
    await stream.remove();
    rmSync(directory, { recursive: true, force: true });
  }
}
