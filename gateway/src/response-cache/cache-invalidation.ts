import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { parseDomainEvent, type DomainEventMessage } from '@gaji/contracts';
import type { EventBus, Logger } from '@gaji/platform';
import type { PublicReadCache } from './public-read-cache.js';

/** Which cached answers a domain event changes. */
export function tagsChangedBy(event: DomainEventMessage): string[] {
  switch (event.type) {
    case 'ProductRegistered':
    case 'ProductDeleted':
    case 'ProductSold':
    case 'ProductSaleRejected':
    case 'ProductPutBackOnSale':
      return ['listing', `product:${event.payload.productId}`];
    case 'MemberJoined':
    case 'MemberWithdrawn':
      return ['seller', 'listing'];
    default:
      return [];
  }
}

/**
 * Drops cached answers as the domain's own events arrive: an ordered JetStream consumer from the
 * stream's end (the cache starts empty, so nothing earlier matters). Ordered consumers resume
 * after a NATS reconnect at the last sequence seen, so no event is missed; should the reader end
 * for any other reason, the cache is emptied and switched off rather than left to go stale.
 */
export class CacheInvalidation {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  /** When the last event was applied (performance.now()), for the benchmark's visibility figure. */
  lastAppliedAt = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly cache: PublicReadCache,
    private readonly onFailure: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const consumer = await this.bus.js.consumers.get(this.bus.stream, {
      filter_subjects: `${this.bus.subjectPrefix}.>`,
      deliver_policy: DeliverPolicy.New,
    });
    this.messages = await consumer.consume({ max_messages: 256 });
    this.loop = (async () => {
      for await (const message of this.messages!) {
        let event: DomainEventMessage;
        try {
          event = parseDomainEvent(message.json());
        } catch {
          continue; // a message that breaks its contract changes nothing we cache
        }
        const tags = tagsChangedBy(event);
        if (tags.length > 0) this.cache.invalidate(tags);
        this.lastAppliedAt = performance.now();
      }
    })().catch((error: unknown) => {
      this.logger.error({ err: error }, 'response cache: event reader stopped; caching switched off');
      this.onFailure();
    });
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}
