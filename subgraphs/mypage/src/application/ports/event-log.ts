import type { StreamEntry } from '../apply-events/apply-events.use-case.js';

/** The domain event stream, read in order. */
export interface EventLog {
  /** How many messages the stream holds now, and the sequence of the last one. */
  extent(): Promise<{ messages: number; lastSeq: number }>;
  /**
   * Reads from `fromSeq` in stream order, in batches, until the end the stream had when the replay
   * started; each batch is handed over only after the previous one was processed.
   */
  replay(fromSeq: number, onBatch: (entries: StreamEntry[]) => Promise<void>): Promise<void>;
}
