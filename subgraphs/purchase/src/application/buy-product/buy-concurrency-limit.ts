export interface BuyConcurrencyLimitSettings {
  /** The most buys at once, however fast they go (each holds a database connection and a payment call). */
  maxInFlight: number;
  /** The fewest: the limit never falls below it, so a slow moment does not stop selling. */
  minInFlight: number;
  /** How long a buy should take once started, on average over a window. */
  latencyTargetMs: number;
}

/** A window closes after this many finished buys at least (fewer say too little). */
const SAMPLES_PER_WINDOW = 5;
/** How far one window moves the limit at most, down and up (Envoy's adaptive concurrency too). */
const MOST_CUT = 0.5;
const MOST_GROWTH = 2;

/**
 * How many buys may run at once, learned from how long they take (docs/decisions/0013).
 *
 * A fixed count does not follow capacity, which moves with CPU contention: at a count the
 * machine cannot carry, admitted buys queue for seconds inside the process (Little's law: time
 * = buys in flight / buys finished per second). So the limit is scaled once per window by
 * target ÷ mean latency, clamped to ×0.5…×2 (the gradient of Envoy's adaptive concurrency
 * filter and Netflix's concurrency-limits, with our latency target where they use the minimum
 * round trip: the goal is a bound on latency, not the best latency). At saturation latency
 * grows with the buys in flight, so this brings the mean back to the target; below it latency
 * does not follow the limit, so it is cut only in a window where every place was taken, and
 * grows only when a window used at least half of it (Netflix's AIMD rule), never past maxInFlight.
 */
export class BuyConcurrencyLimit {
  private limit: number;
  private windowStart: number;
  private samples = 0;
  private latencySum = 0;
  private mostInFlight = 0;

  constructor(
    private readonly settings: BuyConcurrencyLimitSettings,
    now: number,
  ) {
    // Start trusting the configured ceiling: the first windows cut it if it is too much.
    this.limit = settings.maxInFlight;
    this.windowStart = now;
  }

  /** Buys that may run at once now. */
  get current(): number {
    return Math.floor(this.limit);
  }

  /** A buy started while `inFlight` buys (itself included) were running. */
  started(inFlight: number): void {
    this.mostInFlight = Math.max(this.mostInFlight, inFlight);
  }

  /**
   * A buy finished (paid, refused or failed) after `latencyMs`, `now`, while `inFlight` buys
   * (itself included) were running: buys longer than a window are seen in use there too.
   */
  finished(latencyMs: number, now: number, inFlight: number): void {
    this.mostInFlight = Math.max(this.mostInFlight, inFlight);
    this.samples++;
    this.latencySum += latencyMs;
    if (this.samples < SAMPLES_PER_WINDOW || now - this.windowStart < this.settings.latencyTargetMs) return;

    const meanLatency = this.latencySum / this.samples;
    const gradient = Math.min(
      MOST_GROWTH,
      Math.max(MOST_CUT, this.settings.latencyTargetMs / Math.max(meanLatency, 1)),
    );
    // Cut only when the limit bound (every place taken at some point of the window): buys slow
    // with places to spare were not slow for being too many (a cold start, a clustered stream
    // losing a node), and a cut then refuses buys the system carries and makes none faster.
    // Grow only when at least half of it was in use: fast buys at a low use say nothing of more.
    const bound = this.mostInFlight >= this.current;
    const used = this.mostInFlight * 2 >= this.limit;
    if ((gradient < 1 && bound) || (gradient >= 1 && used)) {
      this.limit = Math.min(
        this.settings.maxInFlight,
        Math.max(this.settings.minInFlight, this.limit * gradient),
      );
    }
    this.windowStart = now;
    this.samples = 0;
    this.latencySum = 0;
    this.mostInFlight = 0;
  }
}
