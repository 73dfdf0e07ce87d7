import type { StreamEntry } from '../update-my-page-on-any-event/update-my-page-on-any-event.policy.js';

/** The domain event stream, read in order (the platform's stream reader is one). */
export interface EventLog {
  /** How many messages the stream holds now, and the sequence of the last one. */
  extent(): Promise<{ messages: number; lastSeq: number }>;
  /**
   * Hands over the entries from `from` to `until` in stream order, in batches; each batch only
   * after the previous one was processed. Resolves once `until` (or the stream's end) is reached.
   */
  read(from: number, until: number, onEntries: (entries: StreamEntry[]) => Promise<void>): Promise<void>;
}
