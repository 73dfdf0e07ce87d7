import type { StreamEntry } from './ordered-batches.js';

/** What the stream holds now. */
export interface StreamExtent {
  messages: number;
  firstSeq: number;
  lastSeq: number;
}

/** Entries handed over in stream order; the next batch waits until this one's promise settles. */
export type OnEntries = (entries: StreamEntry[]) => Promise<void>;

/** A running `follow`: where it is, whether it is reading, and how to stop it. */
export interface StreamFollower {
  /** The sequence of the last entry handed over and settled (the start minus one before any). */
  readonly position: number;
  /** True while a consumer is open (false while it waits to retry after a failure, and once stopped). */
  readonly running: boolean;
  stop(): Promise<void>;
}

/** The stream read in order — what the gateway fan-out, My Page and resume depend on. */
export interface OrderedStream {
  extent(): Promise<StreamExtent>;
  read(from: number, until: number, onEntries: OnEntries, signal?: AbortSignal): Promise<void>;
  follow(from: number, onEntries: OnEntries): StreamFollower;
}
