import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { DomainEventMessage } from '@gaji/contracts';
import { myPageChanged } from '../../../gateway/src/subscriptions/live-events.js';

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

/**
 * The frames `myPageChanged` sends `memberId`, by the gateway's own rule (live-events.ts): what the
 * crash test checks is that each arrives, once, whatever fails — which events make a frame is
 * checked where the rule is (live-routes.unit, late-charge.e2e). A copy of the rule kept here
 * drifted: it still expected a frame for a failed purchase's refund (PaymentCancelled, reason
 * PURCHASE_FAILED), which no view shows and the gateway sends nobody, and under load — where late
 * charges happen — reported it lost.
 */
export function myPageFramesFor(events: StreamedEvent[], memberId: string): StreamedEvent[] {
  const { audience } = myPageChanged;
  if (audience === 'anyone') throw new Error('myPageChanged is private: it has an audience');
  return events.filter((e) => {
    // Only its type and payload are read: the envelope's other fields need not be rebuilt.
    const event = { type: e.type, payload: e.payload } as DomainEventMessage;
    return myPageChanged.events.includes(event.type) && audience(event).includes(memberId);
  });
}

/** An event as a lost frame is reported: its cursor, type, and the refund's reason if it has one. */
export function describeEvent(event: StreamedEvent): string {
  const reason = typeof event.payload.reason === 'string' ? ` (${event.payload.reason})` : '';
  return `${event.seq} ${event.type}${reason}`;
}
