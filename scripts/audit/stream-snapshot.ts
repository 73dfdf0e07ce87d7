import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** How many times each event id (the `Nats-Msg-Id` the relay sets) sits in the stream. */
export interface StreamSnapshot {
  stream: string;
  firstSeq: number;
  lastSeq: number;
  copies: Map<string, number>;
  /** When the stream stored each event id's last copy (ms since the epoch, the NATS server's clock). */
  storedAt: Map<string, number>;
  /** Messages without a message id: nothing published them through an outbox. */
  withoutId: number[];
}

export async function readStreamMessageIds(nc: NatsConnection, stream: string): Promise<StreamSnapshot> {
  const info = await (await jetstreamManager(nc)).streams.info(stream);
  const snapshot: StreamSnapshot = {
    stream,
    firstSeq: info.state.first_seq,
    lastSeq: info.state.last_seq,
    copies: new Map(),
    storedAt: new Map(),
    withoutId: [],
  };
  if (info.state.messages === 0) return snapshot;
  // An ordered consumer reads the stream from its first message without acks or state.
  const consumer = await jetstream(nc).consumers.get(stream);
  // Counted, not sequenced: a deleted message leaves a gap, even at the end.
  let seq = 0;
  let read = 0;
  while (read < info.state.messages) {
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 5_000 });
    let got = 0;
    for await (const message of batch) {
      got += 1;
      read += 1;
      seq = message.seq;
      const id = message.headers?.get('Nats-Msg-Id');
      if (id) {
        snapshot.copies.set(id, (snapshot.copies.get(id) ?? 0) + 1);
        snapshot.storedAt.set(id, message.time.getTime());
      } else snapshot.withoutId.push(message.seq);
      if (read >= info.state.messages) break;
    }
    if (got === 0)
      throw new Error(`stream ${stream}: no message after ${seq}, ${read} of ${info.state.messages} read`);
  }
  return snapshot;
}
