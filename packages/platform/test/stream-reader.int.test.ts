import { createServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import { subjectFor } from '@gaji/contracts';
import { NatsServerProcess, createTestStream, eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connectEventBus, type EventBus } from '../src/events/event-bus.js';
import { EventsExpired } from '../src/events/events-expired.js';
import { StreamReader, type StreamEntry } from '../src/events/stream-reader.js';
import { createLogger } from '../src/logging/logger.js';
import { anEnvelope } from './event-platform.fixtures.js';

const logger = createLogger('test', 'silent');

/** A TCP line to NATS whose connections can be cut while the server stays up (a network blip). */
class CuttableLine {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async to(natsPort: number): Promise<CuttableLine> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connectTcp(natsPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CuttableLine(server, (server.address() as AddressInfo).port, sockets);
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  close(): void {
    this.cut();
    this.server.close();
  }
}

describe('stream reader (real JetStream)', () => {
  let bus: EventBus | undefined;
  let nats: NatsServerProcess | undefined;
  afterEach(async () => {
    await bus?.jsm.streams.delete(bus.stream).catch(() => undefined);
    await bus?.close();
    await nats?.destroy();
    bus = undefined;
    nats = undefined;
  });

  async function connect(label: string, natsUrl?: string): Promise<EventBus> {
    const stream = createTestStream(label);
    bus = await connectEventBus({
      natsUrl: natsUrl ?? stream.natsUrl,
      stream: stream.stream,
      subjectPrefix: stream.subjectPrefix,
      name: `test-${label}`,
    });
    return bus;
  }

  /** Publishes `count` valid events; returns the id of each, in stream order. */
  async function publish(b: EventBus, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const envelope = anEnvelope(i);
      await b.js.publish(subjectFor(b.subjectPrefix, 'MemberJoined'), JSON.stringify(envelope), {
        msgID: envelope.id,
      });
      ids.push(envelope.id);
    }
    return ids;
  }

  const collect = () => {
    const entries: StreamEntry[] = [];
    const batches: number[] = [];
    return {
      entries,
      batches,
      onEntries: async (batch: StreamEntry[]) => {
        batches.push(batch.length);
        entries.push(...batch);
      },
    };
  };

  it('reading a range hands over exactly the entries from its start to its end, in order, in bounded batches', async () => {
    const b = await connect('reader_range');
    const ids = await publish(b, 30);
    const reader = new StreamReader({ bus: b, logger, batchSize: 8 });
    const seen = collect();

    await reader.read(5, 24, seen.onEntries);

    expect(seen.entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 5));
    expect(seen.entries.map((entry) => entry.event?.id)).toEqual(ids.slice(4, 24));
    expect(Math.max(...seen.batches)).toBeLessThanOrEqual(8);
    expect(await reader.extent()).toEqual({ messages: 30, firstSeq: 1, lastSeq: 30 });
  });

  it('reading past the end of the stream stops at its end; reading an empty range hands over nothing', async () => {
    const b = await connect('reader_end');
    await publish(b, 3);
    const reader = new StreamReader({ bus: b, logger });
    const seen = collect();

    await reader.read(2, 1_000, seen.onEntries);
    await reader.read(10, 20, seen.onEntries);

    expect(seen.entries.map((entry) => entry.seq)).toEqual([2, 3]);
  });

  it('a message that breaks its contract is handed over without an event, and reading goes on past it', async () => {
    const b = await connect('reader_contract');
    await publish(b, 1);
    await b.js.publish(`${b.subjectPrefix}.member.MemberJoined.v1`, JSON.stringify({ id: 'nope' }));
    await publish(b, 1);
    const seen = collect();

    await new StreamReader({ bus: b, logger }).read(1, 3, seen.onEntries);

    expect(seen.entries.map((entry) => [entry.seq, entry.event === null])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('a follower hands over every entry from its start, then each new one as it is published', async () => {
    const b = await connect('reader_follow');
    const before = await publish(b, 5);
    const reader = new StreamReader({ bus: b, logger });
    const seen = collect();

    const follower = reader.follow(3, seen.onEntries);
    try {
      const after = await publish(b, 4);
      await eventually(() => expect(seen.entries).toHaveLength(7));
      expect(seen.entries.map((entry) => entry.event?.id)).toEqual([...before.slice(2), ...after]);
      expect(follower.position).toBe(9);
      expect(follower.running).toBe(true);
    } finally {
      await follower.stop();
    }
    expect(follower.running).toBe(false);
  });

  it('a follower whose handler fails gets the same entries again, and never one twice after it succeeded', async () => {
    const b = await connect('reader_retry');
    await publish(b, 6);
    const reader = new StreamReader({ bus: b, logger, batchSize: 3, retryDelayMs: 20 });
    const settled: number[] = [];
    let failures = 0;

    const follower = reader.follow(1, async (entries) => {
      if (entries.some((entry) => entry.seq === 4) && failures++ < 2) throw new Error('store busy');
      settled.push(...entries.map((entry) => entry.seq));
    });
    try {
      await eventually(() => expect(settled).toEqual([1, 2, 3, 4, 5, 6]));
      expect(failures).toBe(3);
    } finally {
      await follower.stop();
    }
  });

  it('a read while NATS is down is retried, never skipped: once NATS is back every entry arrives', async () => {
    nats = await NatsServerProcess.start();
    const b = await connect('reader_outage', nats.url);
    const ids = await publish(b, 12);
    const reader = new StreamReader({ bus: b, logger, retryDelayMs: 100 });
    const seen = collect();

    await nats.stop();
    const reading = reader.read(1, 12, seen.onEntries);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen.entries).toEqual([]);
    await nats.start();
    await reading;

    expect(seen.entries.map((entry) => entry.event?.id)).toEqual(ids);
  });

  it('a read that keeps failing ends when its signal aborts (the client went away)', async () => {
    nats = await NatsServerProcess.start();
    const b = await connect('reader_abort', nats.url);
    await publish(b, 2);
    const reader = new StreamReader({ bus: b, logger, retryDelayMs: 50 });
    const seen = collect();
    const gone = new AbortController();

    await nats.stop();
    const reading = reader.read(1, 2, seen.onEntries, gone.signal);
    setTimeout(() => gone.abort(), 300);
    await reading;

    expect(seen.entries).toEqual([]);
    await nats.start(); // so the stream can be removed
  });

  it('reading from entries the stream no longer holds rejects with EventsExpired, handing over nothing', async () => {
    const b = await connect('reader_expired');
    await publish(b, 10);
    await b.jsm.streams.purge(b.stream, { seq: 6 }); // keeps 6..10, as an age or size limit would
    const seen = collect();

    const reading = new StreamReader({ bus: b, logger }).read(3, 10, seen.onEntries);

    await expect(reading).rejects.toEqual(
      expect.objectContaining({ code: 'EVENTS_EXPIRED', from: 3, firstAvailable: 6 }),
    );
    await expect(reading).rejects.toBeInstanceOf(EventsExpired);
    expect(seen.entries).toEqual([]);
  });

  it('a message deleted inside the range is reported as expired, not passed over', async () => {
    const b = await connect('reader_hole');
    await publish(b, 6);
    await b.jsm.streams.deleteMessage(b.stream, 4);
    const seen = collect();

    const reading = new StreamReader({ bus: b, logger }).read(1, 6, seen.onEntries);

    await expect(reading).rejects.toEqual(
      expect.objectContaining({ code: 'EVENTS_EXPIRED', from: 4, firstAvailable: 5 }),
    );
    expect(seen.entries.map((entry) => entry.seq)).not.toContain(5);
  });

  it('a follower notices NATS going away and resumes after its last entry when NATS is back, losing and repeating nothing', async () => {
    nats = await NatsServerProcess.start();
    const b = await connect('reader_follow_outage', nats.url);
    const before = await publish(b, 3);
    const reader = new StreamReader({ bus: b, logger });
    const seen = collect();
    const follower = reader.follow(1, seen.onEntries);
    try {
      await eventually(() => expect(seen.entries).toHaveLength(3));

      await nats.stop();
      await eventually(() => expect(follower.running).toBe(false), 5_000);
      await nats.start();
      const restarted = performance.now();
      // Published over a connection of its own, so the figure is the follower's, not the publisher's.
      const publisher = await connectEventBus({
        natsUrl: nats.url,
        stream: b.stream,
        subjectPrefix: b.subjectPrefix,
        name: 'test-publisher',
      });
      const after = await publish(publisher, 1).finally(() => publisher.close());
      const published = performance.now();
      await eventually(() => expect(seen.entries).toHaveLength(4), 10_000);
      const now = performance.now();
      console.info(
        `stream follower: entry handed over ${(now - restarted).toFixed(0)} ms after nats-server restarted ` +
          `(${(now - published).toFixed(0)} ms after it was published)`,
      );

      expect(seen.entries.map((entry) => entry.event?.id)).toEqual([...before, ...after]);
    } finally {
      await follower.stop();
    }
  });

  it('a follower re-created after NATS restarts leaves the stream with its new consumer only, not the old one too', async () => {
    nats = await NatsServerProcess.start();
    const b = await connect('reader_restart_consumers', nats.url);
    await publish(b, 2);
    const reader = new StreamReader({ bus: b, logger });
    const seen = collect();
    const follower = reader.follow(1, seen.onEntries);
    try {
      await eventually(() => expect(seen.entries).toHaveLength(2));
      await eventually(() => expect(follower.running).toBe(true));
      const names = async () => {
        const found: string[] = [];
        for await (const consumer of b.jsm.consumers.list(b.stream)) found.push(consumer.name);
        return found;
      };
      const [old] = await names();

      await nats.stop();
      await eventually(() => expect(follower.running).toBe(false), 5_000);
      await nats.start();
      await eventually(() => publish(b, 1), 15_000);
      await eventually(() => expect(seen.entries).toHaveLength(3), 10_000);
      await eventually(() => expect(follower.running).toBe(true));

      // The old consumer could not be deleted while NATS was away; it must not wait out a threshold.
      await eventually(async () => {
        const now = await names();
        expect(now).toHaveLength(1);
        expect(now).not.toContain(old);
      }, 5_000);
    } finally {
      await follower.stop();
    }
  });

  it('a follower notices a frozen NATS (no answer, socket open) by its heartbeats, and resumes when it answers again', async () => {
    nats = await NatsServerProcess.start();
    const b = await connect('reader_frozen', nats.url);
    const before = await publish(b, 2);
    const reader = new StreamReader({ bus: b, logger });
    const seen = collect();
    const follower = reader.follow(1, seen.onEntries);
    try {
      await eventually(() => expect(seen.entries).toHaveLength(2));
      await eventually(() => expect(follower.running).toBe(true));

      nats.freeze();
      const frozenAt = performance.now();
      await eventually(() => expect(follower.running).toBe(false), 10_000);
      const detectedMs = performance.now() - frozenAt;
      nats.thaw();
      const after = await eventually(() => publish(b, 1), 15_000);
      await eventually(() => expect(seen.entries).toHaveLength(3), 15_000);
      console.info(`stream follower: a frozen nats-server noticed after ${detectedMs.toFixed(0)} ms`);

      expect(seen.entries.map((entry) => entry.event?.id)).toEqual([...before, ...after]);
    } finally {
      nats.thaw();
      await follower.stop();
    }
  });

  /** The consumers the stream has now (ordered readers' ephemerals included). */
  const consumersOf = async (b: EventBus) => (await b.jsm.streams.info(b.stream)).state.consumer_count;

  it('a follower whose connection is cut while NATS stays up deletes its old consumer as soon as it is back, not after the server threshold', async () => {
    // The connection dropped, the session's consumer could not be deleted and lingered on the
    // server (its 30 s threshold; 5 min for one the client had re-created itself).
    nats = await NatsServerProcess.start();
    const line = await CuttableLine.to(nats.port);
    try {
      const b = await connect('reader_cut_consumers', `nats://127.0.0.1:${line.port}`);
      await publish(b, 2);
      const reader = new StreamReader({ bus: b, logger });
      const seen = collect();
      const follower = reader.follow(1, seen.onEntries);
      const names = async () => {
        const found: string[] = [];
        for await (const consumer of b.jsm.consumers.list(b.stream)) found.push(consumer.name);
        return found;
      };
      try {
        await eventually(() => expect(seen.entries).toHaveLength(2));
        await eventually(() => expect(follower.running).toBe(true));
        const [old] = await names();

        line.cut();
        await eventually(() => expect(follower.running).toBe(false), 5_000);
        await eventually(() => publish(b, 1), 15_000);
        await eventually(() => expect(seen.entries).toHaveLength(3), 15_000);

        await eventually(async () => {
          const now = await names();
          expect(now).toHaveLength(1);
          expect(now).not.toContain(old);
        }, 5_000);
      } finally {
        await follower.stop();
      }
    } finally {
      line.close();
    }
  });

  it('each read deletes its consumer when it ends: many reads leave the stream with the consumers it had', async () => {
    const b = await connect('reader_cleanup');
    await publish(b, 20);
    const reader = new StreamReader({ bus: b, logger, batchSize: 8 });
    const before = await consumersOf(b);
    for (let i = 0; i < 20; i++) await reader.read(1 + (i % 10), 20, async () => undefined);
    // Reads that end must not leave their consumers for the server's inactivity threshold (5 min).
    await eventually(async () => expect(await consumersOf(b)).toBe(before), 3_000);
  });

  it('a read stopped by its signal in mid-range (the client went away) deletes its consumer', async () => {
    const b = await connect('reader_abort');
    await publish(b, 20);
    const reader = new StreamReader({ bus: b, logger, batchSize: 4 });
    const before = await consumersOf(b);
    const gone = new AbortController();
    let handedOver = 0;
    const reading = reader.read(
      1,
      20,
      async (entries) => {
        handedOver += entries.length;
        if (handedOver >= 4) {
          gone.abort();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      gone.signal,
    );
    await reading;
    expect(handedOver).toBeLessThan(20);
    await eventually(async () => expect(await consumersOf(b)).toBe(before), 3_000);
  });

  it('a read stopped while its consumer is being created deletes that consumer once it exists', async () => {
    const b = await connect('reader_abort_create');
    await publish(b, 5);
    const reader = new StreamReader({ bus: b, logger });
    const before = await consumersOf(b);
    for (let i = 0; i < 10; i++) {
      const gone = new AbortController();
      const reading = reader.read(1, 5, async () => undefined, gone.signal);
      // Aborted after the extent is known, while the consumer create request is in flight.
      setTimeout(() => gone.abort(), i);
      await reading;
    }
    await eventually(async () => expect(await consumersOf(b)).toBe(before), 3_000);
  });

  it('the first consumer of a read asks the server to drop it soon after it goes quiet (a backstop for a delete that could not be sent)', async () => {
    const b = await connect('reader_threshold');
    await publish(b, 3);
    const reader = new StreamReader({ bus: b, logger });
    const thresholds: number[] = [];
    await reader.read(1, 3, async () => {
      for await (const consumer of b.jsm.consumers.list(b.stream))
        thresholds.push(consumer.config.inactive_threshold ?? 0);
    });
    expect(thresholds).toHaveLength(1);
    expect(thresholds[0]).toBeLessThanOrEqual(60 * 1e9);
  });
});
