import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { createTestStream, type TestStream } from '@gaji/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DeadLetterHeader,
  deadLetterStream,
  deadLetterSubject,
  ensureDeadLetterStream,
  listAllDeadLetters,
} from '../src/events/dead-letters.js';

describe('reading dead letters for the auditor (real JetStream)', () => {
  let stream: TestStream;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  beforeEach(async () => {
    stream = createTestStream('dead_reader');
    nc = await connect({ servers: stream.natsUrl });
    jsm = await jetstreamManager(nc);
  });
  afterEach(async () => {
    if (!nc.isClosed()) await nc.close();
    await stream.remove();
  });

  /** Three dead letters of one consumer; resolves to their sequences. */
  async function threeDeadLetters(): Promise<number[]> {
    await ensureDeadLetterStream(jsm, stream.stream, stream.subjectPrefix);
    const js = jetstream(nc);
    const seqs: number[] = [];
    for (const origin of [1, 2, 3]) {
      const h = headers();
      h.set(DeadLetterHeader.consumer, 'purchase');
      h.set(DeadLetterHeader.originSeq, String(origin));
      const ack = await js.publish(deadLetterSubject(stream.subjectPrefix, 'purchase'), '{}', { headers: h });
      seqs.push(ack.seq);
    }
    return seqs;
  }

  it('a dead-letter stream not created yet reads as no dead letters', async () => {
    expect(await listAllDeadLetters(jsm, stream.stream)).toEqual([]);
  });

  it('a dead letter deleted by its replay is a gap, and the others are read', async () => {
    const [first, replayed, third] = await threeDeadLetters();
    await jsm.streams.deleteMessage(deadLetterStream(stream.stream), replayed!);

    expect((await listAllDeadLetters(jsm, stream.stream)).map((letter) => letter.seq)).toEqual([
      first,
      third,
    ]);
  });

  it('NATS gone while the auditor asks for the dead-letter stream fails the read, not "no dead letters"', async () => {
    await threeDeadLetters();
    await nc.close();

    await expect(listAllDeadLetters(jsm, stream.stream)).rejects.toThrow();
  });

  it('an error reading one dead letter fails the read, not a dead letter left out', async () => {
    const [, unreadable] = await threeDeadLetters();
    const streams = Object.create(jsm.streams) as JetStreamManager['streams'];
    streams.getMessage = (name, query) =>
      query && 'seq' in query && query.seq === unreadable
        ? Promise.reject(new Error('TIMEOUT')) // NATS restarting under the chaos suite
        : jsm.streams.getMessage(name, query);
    const flaky = Object.assign(Object.create(jsm) as JetStreamManager, { streams });

    await expect(listAllDeadLetters(flaky, stream.stream)).rejects.toThrow('TIMEOUT');
  });
});
