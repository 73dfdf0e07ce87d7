import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { parseDomainEvent } from '@gaji/contracts';
import type { EventBus } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { StreamEvent } from './live-events.js';

type Listener = (event: StreamEvent) => void;

/**
 * One JetStream ordered consumer for the whole gateway, fanned out in memory to every live
 * subscription — never a consumer per client. Ordered consumers resume by themselves at the last
 * sequence seen after a NATS reconnect, so live clients lose nothing across a NATS restart.
 */
export class EventFanout {
  private readonly listeners = new Set<Listener>();
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  /** Highest stream sequence delivered to listeners so far. */
  lastSequence = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const info = await this.bus.jsm.streams.info(this.bus.stream);
    this.lastSequence = info.state.last_seq;
    const consumer = await this.bus.js.consumers.get(this.bus.stream, {
      filter_subjects: `${this.bus.subjectPrefix}.>`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.lastSequence + 1,
    });
    this.messages = await consumer.consume({ max_messages: 256 });
    this.loop = (async () => {
      for await (const message of this.messages!) {
        this.lastSequence = message.seq;
        let event;
        try {
          event = parseDomainEvent(message.json());
        } catch (error) {
          this.logger.warn({ err: error, seq: message.seq }, 'skipping an event that breaks its contract');
          continue;
        }
        for (const listener of this.listeners) listener({ sequence: message.seq, event });
      }
    })();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /**
   * Events after `cursor` up to `until`, read straight from the stream (no consumer), for a
   * client resuming after a disconnect. Bounded: a client that was away too long starts fresh.
   */
  async *replay(cursor: number, until: number, limit = 10_000): AsyncGenerator<StreamEvent> {
    const first = Math.max(cursor + 1, until - limit + 1);
    for (let seq = first; seq <= until; seq++) {
      const stored = await this.bus.jsm.streams.getMessage(this.bus.stream, { seq }).catch(() => null);
      if (!stored) continue; // deleted or beyond retention
      try {
        yield { sequence: seq, event: parseDomainEvent(stored.json()) };
      } catch {
        // contract-breaking message: skipped, as live
      }
    }
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}
