import { DeliverPolicy } from '@nats-io/jetstream';
import type { EventBus } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { StreamEntry } from '../../../application/apply-events/apply-events.use-case.js';
import type { EventLog } from '../../../application/ports/event-log.js';
import { orderedConsumerOptions, toStreamEntry } from './stream-entry.js';

/** The domain stream read from a given sequence by a JetStream ordered consumer (for a rebuild). */
export class JetStreamEventLog implements EventLog {
  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly batchSize = 500,
  ) {}

  async extent(): Promise<{ messages: number; lastSeq: number }> {
    const { state } = await this.bus.jsm.streams.info(this.bus.stream);
    return { messages: state.messages, lastSeq: state.last_seq };
  }

  async replay(fromSeq: number, onBatch: (entries: StreamEntry[]) => Promise<void>): Promise<void> {
    const { lastSeq, messages: count } = await this.extent();
    if (count === 0 || lastSeq < fromSeq) return;
    const consumer = await this.bus.js.consumers.get(this.bus.stream, {
      ...orderedConsumerOptions(this.bus.subjectPrefix, fromSeq),
      deliver_policy: DeliverPolicy.StartSequence,
    });
    const messages = await consumer.consume({ max_messages: this.batchSize });
    let batch: StreamEntry[] = [];
    try {
      for await (const message of messages) {
        batch.push(toStreamEntry(message, this.logger));
        const done = message.seq >= lastSeq || message.info.pending === 0;
        if (done || batch.length >= this.batchSize) {
          await onBatch(batch);
          batch = [];
        }
        if (done) break;
      }
    } finally {
      await messages.close();
    }
  }
}
