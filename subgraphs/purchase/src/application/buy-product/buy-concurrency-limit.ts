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
/** A buy ran with room when the buys beside it averaged at most this share of the limit. */
const ROOM = 0.75;
/**
 * Latency followed the count when at least this share of the extra crowd (the buys in flight
 * beyond those the buys with room ran beside) was queueing: Vegas's queue estimate,
 * crowd × (1 − latency with room ÷ latency), against the extra crowd. 1 if latency grew in
 * proportion to the crowd (pure queueing), 0 if it did not grow with it.
 */
const QUEUEING_SHARE = 0.5;

/** Finished buys of a kind within a window: how many, their latency and crowd summed. */
class Finished {
  count = 0;
  latencySum = 0;
  crowdSum = 0;

  add(latencyMs: number, crowd: number): void {
    this.count++;
    this.latencySum += latencyMs;
    this.crowdSum += crowd;
  }

  mean(): { latencyMs: number; crowd: number } {
    return { latencyMs: this.latencySum / this.count, crowd: this.crowdSum / this.count };
  }
}

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
 *
 * Every place taken does not yet say the buys were too many: a slowdown of another cause (a
 * JetStream node lost, a slow disk) at a steady demand fills the places too (Little's law), and
 * halving the limit then refuses buys and makes none faster. So a cut also needs the latency to
 * have followed the count, judged as Netflix's VegasLimit does: the window's crowded buys against
 * the latest buys that ran with room (beside at most ROOM of the limit, on average over their
 * run). When a dependency slows, the first slow buys are such buys — the crowd builds behind
 * them at the old rate of arrivals — so the slowness is known as not the crowd's before the
 * places fill; at an overload the crowd comes first and buys with room stay fast. Until a buy
 * has run with room, or when the crowd is no larger than theirs (after a cut), the latency
 * alone decides, as it did before.
 */
export class BuyConcurrencyLimit {
  private limit: number;
  private windowStart: number;
  private mostInFlight = 0;
  private all = new Finished();
  private withRoom = new Finished();
  private crowded = new Finished();
  /** The latest window's buys that ran with room; unknown until one did. */
  private lastWithRoom: { latencyMs: number; crowd: number } | undefined;

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
   * `crowd`: the buys in flight on average over its run (itself included).
   */
  finished(latencyMs: number, now: number, inFlight: number, crowd = inFlight): void {
    this.mostInFlight = Math.max(this.mostInFlight, inFlight);
    this.all.add(latencyMs, crowd);
    (crowd <= ROOM * this.current ? this.withRoom : this.crowded).add(latencyMs, crowd);
    if (this.all.count < SAMPLES_PER_WINDOW || now - this.windowStart < this.settings.latencyTargetMs) return;

    const meanLatency = this.all.mean().latencyMs;
    if (this.withRoom.count > 0) this.lastWithRoom = this.withRoom.mean();
    const gradient = Math.min(
      MOST_GROWTH,
      Math.max(MOST_CUT, this.settings.latencyTargetMs / Math.max(meanLatency, 1)),
    );
    // Cut only when the limit bound (every place taken at some point of the window) and latency
    // followed the count: buys slow with places to spare, or as slow in a crowd as with room,
    // were not slow for being too many (a cold start, a clustered stream losing a node), and a
    // cut then refuses buys the system carries and makes none faster.
    // Grow only when at least half of it was in use: fast buys at a low use say nothing of more.
    const bound = this.mostInFlight >= this.current;
    const used = this.mostInFlight * 2 >= this.limit;
    if ((gradient < 1 && bound && this.latencyFollowedCount()) || (gradient >= 1 && used)) {
      this.limit = Math.min(
        this.settings.maxInFlight,
        Math.max(this.settings.minInFlight, this.limit * gradient),
      );
    }
    this.windowStart = now;
    this.mostInFlight = 0;
    this.all = new Finished();
    this.withRoom = new Finished();
    this.crowded = new Finished();
  }

  private latencyFollowedCount(): boolean {
    if (this.crowded.count === 0) return false; // every buy ran with room: the crowd did not slow them
    const crowded = this.crowded.mean();
    const extraCrowd = crowded.crowd - (this.lastWithRoom?.crowd ?? 0);
    if (this.lastWithRoom === undefined || extraCrowd <= 0) return true;
    const queueing = crowded.crowd * (1 - this.lastWithRoom.latencyMs / crowded.latencyMs);
    return queueing >= QUEUEING_SHARE * extraCrowd;
  }
}
