import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export const testNatsUrl = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface TestStream {
  stream: string;
  subjectPrefix: string;
  natsUrl: string;
  /** Deletes the stream (and its consumers), and its dead-letter stream. */
  remove(): Promise<void>;
}

/** A unique stream name and subject prefix, so parallel runs and leftovers never meet. */
export function createTestStream(label: string): TestStream {
  const suffix = randomBytes(4).toString('hex');
  const stream = `TEST_${label.toUpperCase()}_${suffix}`;
  return {
    stream,
    subjectPrefix: `test-${label}-${suffix}`.toLowerCase(),
    natsUrl: testNatsUrl,
    remove: async () => {
      const nc = await connect({ servers: testNatsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.delete(stream).catch(() => undefined);
        await jsm.streams.delete(`${stream}_DEAD`).catch(() => undefined); // consumers' dead letters
      } finally {
        await nc.close();
      }
    },
  };
}

/** Every message currently in the stream, parsed (for asserting what was published). */
export interface StoredEvent {
  subject: string;
  seq: number;
  data: unknown;
  headers: Record<string, string>;
}

export async function readStream(natsUrl: string, stream: string): Promise<StoredEvent[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const messages: StoredEvent[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message) {
        const headers: Record<string, string> = {};
        for (const [key, values] of message.header ?? []) headers[key] = values[0] ?? '';
        messages.push({ subject: message.subject, seq: message.seq, data: message.json(), headers });
      }
    }
    return messages;
  } finally {
    await nc.close();
  }
}
