/**
 * Answers to public reads, kept until a domain event says they changed. Each entry carries tags
 * (`listing`, `product:<id>`, `seller`); an event drops the entries of its tags. No TTL: an
 * entry is right until its event arrives, and is dropped the moment it does.
 */
export class PublicReadCache {
  private readonly entries = new Map<string, { body: string; tags: readonly string[] }>();
  private readonly byTag = new Map<string, Set<string>>();
  /** Bumped by every invalidation: an answer computed across one is not stored (it may be stale). */
  private epoch = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries: number) {}

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
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      // Oldest first (Map keeps insertion order): a bounded cache, no unbounded growth.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    this.entries.set(key, { body, tags });
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
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
