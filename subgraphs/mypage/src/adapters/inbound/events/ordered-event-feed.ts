import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { EventBus } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { ApplyEvents, StreamEntry } from '../../../application/apply-events/apply-events.use-case.js';
import type { ProjectionStore } from '../../../application/ports/projection-store.js';
import { orderedConsumerOptions, toStreamEntry } from '../../outbound/nats/stream-entry.js';

/**
 * Feeds the read model every domain event, in stream order, from its checkpoint on. Not the shared
 * durable consumer: each replica owns a SQLite file and needs every event, so each reads the stream
 * with its own ephemeral ordered consumer (the client recreates it on a gap or a lost heartbeat).
 * Messages already waiting are applied in batches of up to `batchSize`, one transaction each.
 */
export class OrderedEventFeed {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private stopped = true;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      bus: EventBus;
      store: ProjectionStore;
      applyEvents: ApplyEvents;
      logger: Logger;
      batchSize?: number;
      retryDelayMs?: number;
    },
  ) {}

  get running(): boolean {
    return !this.stopped && this.messages !== undefined;
  }

  /** Starts reading after the store's checkpoint. */
  async start(): Promise<void> {
    this.stopped = false;
    const fromSeq = (await this.deps.store.lastAppliedSeq()) + 1;
    const { bus } = this.deps;
    const consumer = await bus.js.consumers.get(bus.stream, {
      ...orderedConsumerOptions(bus.subjectPrefix, fromSeq),
      deliver_policy: DeliverPolicy.StartSequence,
    });
    const messages = await consumer.consume({ max_messages: this.deps.batchSize ?? 256 });
    this.messages = messages;
    this.loop = this.run(messages);
    this.deps.logger.info({ fromSeq }, 'my page feed reading the stream');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const messages = this.messages;
    this.messages = undefined;
    await messages?.close();
    await this.loop;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    const batchSize = this.deps.batchSize ?? 256;
    let batch: StreamEntry[] = [];
    try {
      for await (const message of messages) {
        batch.push(toStreamEntry(message, this.deps.logger));
        // pending 0: nothing else is waiting, so apply now rather than wait for a full batch.
        if (message.info.pending === 0 || batch.length >= batchSize) {
          const entries = batch;
          batch = [];
          await this.deps.applyEvents.execute(entries);
        }
      }
    } catch (error) {
      // Nothing past the checkpoint was committed; read again from there after a pause.
      this.deps.logger.error({ err: error }, 'my page feed failed; restarting from the checkpoint');
      await messages.close();
      if (this.messages === messages) this.messages = undefined;
      if (!this.stopped) this.retry = setTimeout(() => void this.restart(), this.deps.retryDelayMs ?? 1_000);
    }
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    await this.start().catch((error: unknown) => {
      this.deps.logger.error({ err: error }, 'my page feed could not restart');
      if (!this.stopped) this.retry = setTimeout(() => void this.restart(), this.deps.retryDelayMs ?? 1_000);
    });
  }
}
