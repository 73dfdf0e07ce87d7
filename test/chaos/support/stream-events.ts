import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StreamedEvent {
  seq: number;
  /** The envelope's id, which consumers record as processed. */
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** Every event of the stream, in order (an ordered consumer; deleted messages are simply absent). */
export async function readStreamEvents(natsUrl: string, stream: string): Promise<StreamedEvent[]> {
  const nc = await connect({ servers: natsUrl.split(','), timeout: 5_000 });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    const events: StreamedEvent[] = [];
    if (info.state.messages === 0) return events;
    const consumer = await jetstream(nc).consumers.get(stream);
    while (events.length < info.state.messages) {
      const before = events.length;
      for await (const message of await consumer.fetch({ max_messages: 1_000, expires: 5_000 })) {
        const event = message.json<{ id: string; type: string; payload: Record<string, unknown> }>();
        events.push({ seq: message.seq, id: event.id, type: event.type, payload: event.payload });
        if (events.length >= info.state.messages) break;
      }
      if (events.length === before)
        throw new Error(`stream ${stream}: stalled at ${events.length} of ${info.state.messages}`);
    }
    return events;
  } finally {
    await nc.close();
  }
}

/** The events `myPageChanged` pushes to `memberId` (gateway/src/subscriptions/live-events.ts). */
const MY_PAGE_EVENTS = new Set([
  'ProductRegistered',
  'ProductSold',
  'ProductPutBackOnSale',
  'ProductDeleted',
  'PurchasePlaced',
  'PurchaseCancelled',
  'PaymentCancelled',
]);

export function myPageFramesFor(events: StreamedEvent[], memberId: string): StreamedEvent[] {
  return events.filter(
    (e) => MY_PAGE_EVENTS.has(e.type) && (e.payload.sellerId === memberId || e.payload.buyerId === memberId),
  );
}

/** An event as a lost frame is reported: its cursor, type, and the refund's reason if it has one. */
export function describeEvent(event: StreamedEvent): string {
  const reason = typeof event.payload.reason === 'string' ? ` (${event.payload.reason})` : '';
  return `${event.seq} ${event.type}${reason}`;
}
