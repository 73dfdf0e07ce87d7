import type { JsMsg } from '@nats-io/jetstream';
import {
  EventContractViolation,
  parseDomainEvent,
  type DomainEventMessage,
  type EventType,
} from '@gaji/contracts';
import { SpanKind, type SpanOptions } from '../tracing/spans.js';
import { originOf } from './dead-letters.js';
import type { CheckedEventHandler, DeliveryMeta, EventHandler, EventHandlers } from './event-handlers.js';

/** A message that has a handler, parsed and ready to be applied. */
export interface Received<Tx> {
  message: JsMsg;
  event: DomainEventMessage;
  handler: EventHandler<EventType, Tx>;
  alreadySettled?: CheckedEventHandler<EventType, Tx>['alreadySettled'];
  meta: DeliveryMeta;
  span: SpanOptions;
  spanName: string;
}

/** A message that breaks its contract (`broken` says how): it will never succeed. */
interface Broken {
  broken: string;
  error: unknown;
}

/**
 * What a message delivered to the consumer `durable` is to it: an event its `handlers` apply,
 * `unhandled` (none of its business), or broken. Decided without settling the message: acking,
 * and setting a broken one aside, is the consumer's (event-consumer.ts).
 */
export function receivedEvent<Tx>(
  message: JsMsg,
  handlers: EventHandlers<Tx>,
  durable: string,
): Received<Tx> | 'unhandled' | Broken {
  // Every context reads every event (one filter subject), and most are not its business: one
  // whose type header names no handler here is acked unread (no JSON parse, no contract check).
  const declared = message.headers?.get('Gaji-Event-Type');
  if (declared && !Object.hasOwn(handlers, declared)) return 'unhandled';
  let event: DomainEventMessage;
  try {
    event = parseDomainEvent(message.json());
  } catch (error) {
    return { broken: error instanceof EventContractViolation ? error.message : 'unparseable message', error };
  }
  const entry = handlers[event.type] as
    EventHandler<EventType, Tx> | CheckedEventHandler<EventType, Tx> | undefined;
  if (!entry) return 'unhandled';
  const { apply: handler, alreadySettled } = typeof entry === 'function' ? { apply: entry } : entry;
  const meta: DeliveryMeta = {
    streamSequence: originOf(message).seq,
    deliveryCount: message.info.deliveryCount,
  };
  const span = {
    kind: SpanKind.CONSUMER,
    // The effect runs in the event's trace and causation: what it records continues both.
    traceparent: message.headers?.get('traceparent') || null,
    attributes: {
      'gaji.consumer': durable,
      'gaji.event.id': event.id,
      'gaji.event.type': event.type,
      'messaging.message.delivery_count': meta.deliveryCount,
    },
  };
  return {
    message,
    event,
    handler,
    ...(alreadySettled ? { alreadySettled } : {}),
    meta,
    span,
    spanName: `${durable} consume ${event.type}`,
  };
}
