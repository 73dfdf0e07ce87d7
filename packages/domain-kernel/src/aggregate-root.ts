import type { RecordedEvent } from '@gaji/contracts';

/**
 * An aggregate records what happened to it as domain events; the repository that saves it pulls
 * them and writes them to the outbox in the same transaction as the new state.
 */
export abstract class AggregateRoot {
  private pending: RecordedEvent[] = [];

  protected record(event: RecordedEvent): void {
    this.pending.push(event);
  }

  /** Whether events wait to be pulled: a save without any may need no transaction of its own. */
  get hasEvents(): boolean {
    return this.pending.length > 0;
  }

  pullEvents(): RecordedEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
