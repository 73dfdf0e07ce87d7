/** A point to measure the buys in flight from: when, and the count's area under time until then. */
export interface InFlightMark {
  at: number;
  area: number;
}

/**
 * How many buys run now, and how many ran on average over a stretch of time: the area under the
 * count, so a buy can tell the crowd it ran in (a crowd that came after it started slows it too).
 */
export class BuysInFlight {
  private count = 0;
  private area = 0;
  private since: number;

  constructor(now: number) {
    this.since = now;
  }

  get current(): number {
    return this.count;
  }

  enter(now: number): void {
    this.advance(now);
    this.count++;
  }

  leave(now: number): void {
    this.advance(now);
    this.count--;
  }

  mark(now: number): InFlightMark {
    this.advance(now);
    return { at: now, area: this.area };
  }

  /** Buys in flight on average from `from` to now (the count now if no time passed). */
  averageSince(from: InFlightMark, now: number): number {
    this.advance(now);
    return now > from.at ? (this.area - from.area) / (now - from.at) : this.count;
  }

  private advance(now: number): void {
    this.area += this.count * (now - this.since);
    this.since = now;
  }
}
