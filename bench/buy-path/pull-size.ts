/**
 * npx tsx bench/buy-path/pull-size.ts — what a durable consumer's pull size costs per message: the
 * platform's consumers pull one message per request (event-consumer.ts, so nothing delivered waits
 * unseen in the client's buffer past its ack wait) where they pulled their batch size (20) before.
 * Messages trickle in at a steady rate, as a context's events arrive under load, and are acked as
 * read; per message: this process's CPU (the client) and NATS's (every nats-server process, so run
 * it on a quiet machine). Pull sizes alternated, `BENCH_PULL_ROUNDS` rounds (3) of
 * `BENCH_PULL_MESSAGES` messages (2,000) at `BENCH_PULL_RATE` per second (1,000; 0: a backlog
 * published before the clock starts, consumed alone). Loopback only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestStream } from '@gaji/testkit';
import { cpuSecondsOfAll } from '../support/process-cpu.js';

const MESSAGES = Number(process.env.BENCH_PULL_MESSAGES ?? 2_000);
const RATE = Number(process.env.BENCH_PULL_RATE ?? 1_000);
const ROUNDS = Number(process.env.BENCH_PULL_ROUNDS ?? 3);
const SIZES = [20, 1];

const test = createTestStream('pull_size');
const nc = await connect({ servers: test.natsUrl });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: test.stream, subjects: [`${test.subjectPrefix}.>`] });

/** MESSAGES messages, at RATE per second in ticks of 10 ms (all at once when RATE is 0). */
async function publish() {
  const perTick = RATE > 0 ? Math.max(1, Math.round(RATE / 100)) : MESSAGES;
  for (let sent = 0; sent < MESSAGES;) {
    const tick = performance.now();
    for (let i = 0; i < perTick && sent < MESSAGES; i++, sent++)
      await js.publish(`${test.subjectPrefix}.e`, `{"n":${sent}}`);
    if (RATE > 0) await sleep(Math.max(0, 10 - (performance.now() - tick)));
  }
}

async function round(pullSize: number, label: string) {
  const durable = `pull_${label}`;
  await jsm.consumers.add(test.stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
  const messages = await (
    await js.consumers.get(test.stream, durable)
  ).consume({
    max_messages: pullSize,
    expires: 2_000,
  });
  // RATE 0: a backlog, published before the clock starts (the consumer's busiest case).
  if (RATE === 0) await publish();
  const nats0 = cpuSecondsOfAll('nats-server') ?? 0;
  const client0 = process.cpuUsage();
  const started = performance.now();
  const reading = (async () => {
    let read = 0;
    for await (const message of messages) {
      message.ack();
      if (++read === MESSAGES) break;
    }
  })();
  if (RATE > 0) await publish();
  await reading;
  await nc.flush();
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(client0);
  const nats = (cpuSecondsOfAll('nats-server') ?? 0) - nats0;
  await messages.close();
  await jsm.consumers.delete(test.stream, durable);
  return {
    pullSize,
    seconds,
    clientUsPerMessage: ((client.user + client.system) / MESSAGES) | 0,
    natsUsPerMessage: ((nats * 1e6) / MESSAGES) | 0,
  };
}

try {
  const rows = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? SIZES : [...SIZES].reverse();
    for (const size of order) rows.push(await round(size, `${size}_${r}`));
  }
  console.log(
    RATE > 0
      ? `${MESSAGES} messages at ${RATE}/s per run, published and consumed by this process (client CPU counts both)`
      : `a backlog of ${MESSAGES} messages per run, consumed alone (publishing not counted)`,
  );
  console.log('| pull size | run | wall s | client CPU µs/message | NATS CPU µs/message |');
  console.log('|---|---|---|---|---|');
  rows.forEach((row, i) =>
    console.log(
      `| ${row.pullSize} | ${i + 1} | ${row.seconds.toFixed(1)} | ${row.clientUsPerMessage} | ${row.natsUsPerMessage} |`,
    ),
  );
} finally {
  await nc.close();
  await test.remove();
}
