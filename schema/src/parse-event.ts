import { eventEnvelopeSchema, type EventEnvelope } from './envelope.js';
import { eventContracts, isEventType, type EventPayload, type EventType } from './events/index.js';

/** A domain event whose payload has been checked against its contract. */
export type DomainEventMessage<T extends EventType = EventType> = {
  [K in T]: Omit<EventEnvelope, 'type' | 'payload'> & { type: K; payload: EventPayload<K> };
}[T];

export class EventContractViolation extends Error {
  constructor(
    message: string,
    readonly issues: unknown,
  ) {
    super(message);
    this.name = 'EventContractViolation';
  }
}

/** Validates an envelope and its payload against the contract of its type and version. */
export function parseDomainEvent(raw: unknown): DomainEventMessage {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new EventContractViolation('malformed event envelope', envelope.error.issues);
  const { type, version } = envelope.data;
  if (!isEventType(type)) throw new EventContractViolation(`unknown event type ${type}`, []);
  const contract = eventContracts[type];
  if (contract.version !== version) {
    throw new EventContractViolation(`${type} v${version} has no contract (known: v${contract.version})`, []);
  }
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success)
    throw new EventContractViolation(`${type} payload breaks its contract`, payload.error.issues);
  return { ...envelope.data, type, payload: payload.data } as DomainEventMessage;
}
