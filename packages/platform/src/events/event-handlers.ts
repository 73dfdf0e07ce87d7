import type { DomainEventMessage, EventType } from '@gaji/contracts';

/** What a context gives its event consumer (event-consumer.ts): a reaction per event type. */

/** Where an event sits in the stream; policies use it to ignore stale events (see README). */
export interface DeliveryMeta {
  streamSequence: number;
  deliveryCount: number;
}

/**
 * Applies one event inside `tx`, which may be shared with the events waiting before it. A
 * handler lets a database error go: caught and ignored, it would leave the transaction aborted
 * under the others' effects (the consumer checks before committing a shared one, and rolls back).
 */
export type EventHandler<K extends EventType, Tx> = (
  event: DomainEventMessage<K>,
  meta: DeliveryMeta,
  tx: Tx,
) => Promise<void>;
/**
 * A handler with a check that runs first, on its own, outside any transaction. When the check
 * answers true, the event's effect is already in the state: the event is acked with no
 * transaction and no processed-id record (three statements fewer). Only for an effect whose
 * presence can be read, and which stays present once it is: a redelivery is then answered true
 * again, so the effect still happens at most once. Any doubt (false, or an error) takes the
 * ordinary path, where `apply` decides inside the transaction.
 */
export interface CheckedEventHandler<K extends EventType, Tx> {
  alreadySettled(event: DomainEventMessage<K>): Promise<boolean>;
  apply: EventHandler<K, Tx>;
}
export type EventHandlers<Tx> = { [K in EventType]?: EventHandler<K, Tx> | CheckedEventHandler<K, Tx> };
