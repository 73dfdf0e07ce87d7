/** How much a cache may hold, in bytes (two per UTF-16 unit of key and answer: what V8 may use). */
export interface CacheBudget {
  /** All entries together; the oldest are dropped first to stay within it. */
  maxBytes: number;
  /** One answer larger than this is not kept at all (nor does it push others out). */
  maxEntryBytes: number;
}

/**
 * Answers to public reads, kept until a domain event says they changed. Each entry carries tags
 * (`listing`, `product:<id>`, `seller`); an event drops the entries of its tags. No TTL: an
 * entry is right until its event arrives, and is dropped the moment it does.
 *
 * Bounded by entries and by bytes: anyone may ask a public read, and a comment changed in the
 * query text makes a new entry, so without a byte budget an anonymous client held one large
 * answer per request in the gateway's memory (55 MB each; a 1 GB heap died on the 18th).
 */
export class PublicReadCache {
  private readonly entries = new Map<string, { body: string; tags: readonly string[]; bytes: number }>();
  private readonly byTag = new Map<string, Set<string>>();
  /** Bumped by every invalidation: an answer computed across one is not stored (it may be stale). */
  private epoch = 0;
  private held = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly budget: CacheBudget = { maxBytes: 64 * 2 ** 20, maxEntryBytes: 2 ** 20 },
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry) this.hits++;
    else this.misses++;
    return entry?.body;
  }

  /** The epoch to hand back to `set`, taken before the answer is computed. */
  begin(): number {
    return this.epoch;
  }

  set(key: string, body: string, tags: readonly string[], begunAt: number): void {
    if (begunAt !== this.epoch) return;
    const bytes = 2 * (key.length + body.length);
    // Larger than one entry may be, or than the whole budget (settings given the other way round).
    if (bytes > Math.min(this.budget.maxEntryBytes, this.budget.maxBytes)) return;
    this.delete(key);
    // Oldest first (Map keeps insertion order) until both bounds leave room for this one.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries && this.held + bytes <= this.budget.maxBytes) break;
      this.delete(oldest);
    }
    this.entries.set(key, { body, tags, bytes });
    this.held += bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  invalidate(tags: readonly string[]): void {
    this.epoch++;
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) this.delete(key);
    }
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.byTag.clear();
    this.held = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries hold, by the measure the budget uses. */
  get bytes(): number {
    return this.held;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
