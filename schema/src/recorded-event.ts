import type { EventPayload, EventType } from './events/index.js';

/** An event as a domain model records it, before the outbox wraps it into an envelope. */
export type RecordedEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; aggregateId: string; occurredAt: Date; payload: EventPayload<K> };
}[T];
