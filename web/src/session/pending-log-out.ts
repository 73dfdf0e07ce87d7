/**
 * A log-out the gateway has not yet confirmed (no connection, or a 503 when the member service
 * could not end the session): this browser shows the member signed out, but the server's session
 * and the refresh cookie live on, and would open it again for the next person at this computer.
 * Kept in localStorage, so any tab of the browser may finish it (see `read` for its form).
 */
export const LOG_OUT_PENDING = 'gaji.logOutPending';

/** Longer than a log-out may be in flight (the session API's 8 s timeout): a claim older than this was lost. */
const IN_FLIGHT_MS = 10_000;
const FIRST_RETRY_MS = 1_000;
/** A log-out is one small request, and the session stays open until it is answered: never wait longer. */
const LONGEST_RETRY_MS = 60_000;
/** A timer may fire a little before the time written by another tab's clock reading. */
const EARLY_MS = 50;

type Marks = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The record of a pending log-out and the timer that sends it again: after the gateway's
 * Retry-After when it gave one, else after a back-off doubling from 1 s, never more than a minute
 * apart, until it is answered. Every tab follows the record: the one that sends first pushes the
 * time on (`claim`) before it sends, so a tab whose timer fires meanwhile finds it not yet due.
 */
export class PendingLogOut {
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  /** `retry`: sends it again if it is still due (the session store's `sendPendingLogOut`). */
  constructor(
    private readonly marks: Marks,
    private readonly retry: () => Promise<void>,
  ) {}

  /** When the next attempt is to be made (epoch ms), or undefined when no log-out is pending. */
  retryAt(): number | undefined {
    return this.read()?.at;
  }

  /**
   * The record: `at`, when the next attempt is to be made (epoch ms); `sending`, an attempt is in
   * flight (and `at` is when it counts as lost). Anything unreadable (an older build's `1`) is due now.
   */
  read(): { at: number; sending: boolean } | undefined {
    const value = this.snapshot();
    if (value === null) return undefined;
    try {
      const { at, sending } = JSON.parse(value) as { at?: unknown; sending?: unknown };
      if (typeof at === 'number' && Number.isFinite(at)) return { at, sending: sending === true };
    } catch {
      // not ours: due now
    }
    return { at: 0, sending: false };
  }

  /** The record as stored (a string that changes only with it, for React's external stores). */
  snapshot(): string | null {
    try {
      return this.marks.getItem(LOG_OUT_PENDING);
    } catch {
      return null;
    }
  }

  /** Another tab's attempt is not overdue: its answer, or its failure's next time, will come. */
  isDue(): boolean {
    const at = this.retryAt();
    return at !== undefined && at - Date.now() <= EARLY_MS;
  }

  /**
   * About to send: on record before the request leaves (a page closed before the answer leaves it
   * to the next start), and not due for the other tabs while it is in flight.
   */
  claim(): void {
    this.write(Date.now() + IN_FLIGHT_MS, true);
  }

  /** Not done: the next attempt after `retryAfterSeconds` (the gateway's word) or the back-off. */
  failed(retryAfterSeconds: number | undefined): void {
    this.failures++;
    const backOff = FIRST_RETRY_MS * 2 ** (this.failures - 1);
    const delay = Math.min(LONGEST_RETRY_MS, Math.max(backOff, (retryAfterSeconds ?? 0) * 1000));
    this.write(Date.now() + delay, false);
  }

  /** Answered (or made moot by a sign-in, whose cookie it would end): nothing more to send. */
  forget(): void {
    this.failures = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.marks.removeItem(LOG_OUT_PENDING);
    } catch {
      // no storage
    }
    this.notify();
  }

  /** Another tab wrote the record: follow its time (and show what it shows). */
  follow(target: Pick<Window, 'addEventListener'>): void {
    target.addEventListener('storage', (event) => {
      if (event.key !== LOG_OUT_PENDING) return;
      this.schedule();
      this.notify();
    });
  }

  /** Sets this tab's timer for the recorded time, if a log-out is pending. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const at = this.retryAt();
    if (at === undefined) return;
    this.timer = setTimeout(() => void this.retry(), Math.max(0, at - Date.now()));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(at: number, sending: boolean): void {
    try {
      this.marks.setItem(LOG_OUT_PENDING, JSON.stringify({ at, sending }));
    } catch {
      // no storage (the page falls back to memory, so this is only a full one): the next start sends it
    }
    this.schedule();
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
