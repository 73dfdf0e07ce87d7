import { cachingOf, type OperationCaching } from './cacheable-operation.js';

/** How much the memo may hold: texts are anyone's to send, so bytes are bounded, not only entries. */
export interface MemoBudget {
  maxEntries: number;
  /** All remembered texts together, two bytes per character. */
  maxBytes: number;
  /** A text longer than this is read every time instead (a client's, never the web's ~1 KB). */
  maxTextBytes: number;
}

/**
 * Whether and how each operation text is cached, read once per distinct text (a parse) instead of
 * once per request. Cleared when full: the texts a client actually sends are few and come back
 * at once. Bounded by bytes as the public-read cache is: an anonymous client varying a comment in
 * a 1 MiB document would otherwise have had 1,000 of them (about 1 GB) remembered.
 */
export class OperationMemo {
  private readonly operations = new Map<string, OperationCaching>();
  private held = 0;

  constructor(
    private readonly budget: MemoBudget = {
      maxEntries: 1_000,
      maxBytes: 8 * 2 ** 20,
      maxTextBytes: 64 * 2 ** 10,
    },
  ) {}

  cachingFor(query: string, operationName: string | undefined): OperationCaching {
    const remembered = `${operationName ?? ''}\u0000${query}`;
    const known = this.operations.get(remembered);
    if (known) return known;
    const caching = cachingOf(query, operationName);
    const bytes = 2 * remembered.length;
    if (bytes > this.budget.maxTextBytes) return caching;
    if (this.operations.size >= this.budget.maxEntries || this.held + bytes > this.budget.maxBytes) {
      this.operations.clear();
      this.held = 0;
    }
    this.operations.set(remembered, caching);
    this.held += bytes;
    return caching;
  }

  get size(): number {
    return this.operations.size;
  }

  get bytes(): number {
    return this.held;
  }
}
