/**
 * npm run bench:observability — what a request pays for its spans and metrics, in microseconds,
 * with no exporter (the default): a span made and ended through `inSpan`, the same with a
 * recording in-memory processor attached, and one latency observation into a labelled histogram.
 * In-process and CPU-bound only; prints the median of five rounds of each.
 */
import { ServiceMetrics } from '@gaji/platform/metrics';
import { inSpan, recordSpansInMemory, SpanKind } from '@gaji/platform/tracing';

const ROUNDS = 5;
const PER_ROUND = 50_000;

async function microsecondsPer(work: () => Promise<unknown> | unknown): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const began = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i += 1) await work();
    rounds.push(Number(process.hrtime.bigint() - began) / 1_000 / PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const metrics = new ServiceMetrics('bench');
const span = () =>
  inSpan(
    'fetch purchase',
    { kind: SpanKind.CLIENT, attributes: { 'gaji.subgraph': 'purchase' } },
    async () => 1,
  );

const rows: [string, number][] = [];
rows.push(['an awaited no-op (the loop itself)', await microsecondsPer(async () => 1)]);
rows.push(['one span, no exporter', await microsecondsPer(span)]);
const recorder = recordSpansInMemory();
rows.push(['one span, in-memory exporter attached', await microsecondsPer(span)]);
recorder.stop();
rows.push([
  'one histogram observation (startTimer → end with labels)',
  await microsecondsPer(() => metrics.requestDuration.startTimer()({ operation: 'Buy', outcome: 'ok' })),
]);

console.log(
  `npm run bench:observability — Node ${process.version}, ${ROUNDS} rounds of ${PER_ROUND}, median µs per operation`,
);
for (const [what, micros] of rows) console.log(`${what.padEnd(60)} ${micros.toFixed(2)} µs`);
