import {
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logging/logger.js';

export interface EventBusOptions {
  natsUrl: string;
  stream: string;
  subjectPrefix: string;
  /** Shown in NATS monitoring as the connection name. */
  name: string;
  logger?: Logger;
}

/** A NATS connection with JetStream, and the domain stream guaranteed to exist. */
export interface EventBus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  subjectPrefix: string;
  close(): Promise<void>;
}

// Re-publishing an outbox row (after a relay crash) within this window is dropped by the server.
const DUPLICATE_WINDOW_NS = 10 * 60 * 1_000_000_000;

export async function connectEventBus(options: EventBusOptions): Promise<EventBus> {
  const nc = await connect({
    servers: options.natsUrl,
    name: options.name,
    // Keep trying for ever: the outbox holds events while NATS is away, and consumers resume.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // A server that stops answering without closing the socket (frozen, a dead link) counts as
    // gone after three unanswered pings a second apart, not the default two minutes' worth.
    pingInterval: 1_000,
    maxPingOut: 3,
  });
  void watchStatus(nc, options.logger);
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, options.stream, options.subjectPrefix);
  return {
    nc,
    js: jetstream(nc),
    jsm,
    stream: options.stream,
    subjectPrefix: options.subjectPrefix,
    close: async () => {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/**
 * Creates the domain stream if missing. Retention is by limits with no age limit by default:
 * the stream is the log from which a read model (My Page) can be rebuilt from scratch.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  stream: string,
  subjectPrefix: string,
): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams
      .add({
        name: stream,
        subjects: [`${subjectPrefix}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: DUPLICATE_WINDOW_NS,
      })
      .catch(async (error: unknown) => {
        // Another replica may have created it between our info() and add().
        await jsm.streams.info(stream).catch(() => {
          throw error;
        });
      });
  }
}

async function watchStatus(nc: NatsConnection, logger?: Logger): Promise<void> {
  if (!logger) return;
  for await (const status of nc.status()) {
    if (status.type === 'disconnect' || status.type === 'reconnect')
      logger.warn({ nats: status.type }, 'NATS connection');
  }
}
