import type { JsMsg } from '@nats-io/jetstream';
import { isDatabaseUnavailable } from '../database/prisma-errors.js';

/**
 * True when `error` says a dependency cannot be reached right now — the context's own database
 * (refused, dropped, pool exhausted), or anything that marks itself `dependencyUnavailable: true`
 * (`DependencyUnavailable` of `@gaji/domain-kernel`: a payment provider that is down or timed
 * out). Nothing is wrong with the event then: it is worth retrying for as long as the outage
 * lasts. Looks through wrappers (`cause`, `originalError`), as a use case may wrap what it caught.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  for (
    let current = error, depth = 0;
    typeof current === 'object' && current !== null && depth < 5;
    depth++
  ) {
    const e = current as { dependencyUnavailable?: unknown; cause?: unknown; originalError?: unknown };
    if (e.dependencyUnavailable === true) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

// Enough for every message of an outage's backlog in hand at once; the oldest are forgotten first.
const REMEMBERED = 10_000;

/**
 * How many deliveries of each message this process saw fail only because a dependency was
 * unavailable. Those do not count towards the dead-letter limit: JetStream's delivery count
 * keeps growing through an outage, so the limit applies to the deliveries that failed for another
 * reason. Kept in memory: a message that moves to another replica (or a restart) is judged by its
 * whole delivery count there — a bug found after an outage is then dead-lettered sooner, never
 * a waiting event (it is still recognised as waiting, and nak'ed again).
 */
export class DependencyWaits {
  private readonly waits = new Map<string, number>();

  /** Deliveries of `message` before this one that waited on a dependency. */
  before(message: JsMsg): number {
    return this.waits.get(keyOf(message)) ?? 0;
  }

  /** This delivery of `message` waited on a dependency. */
  add(message: JsMsg): void {
    const key = keyOf(message);
    const count = (this.waits.get(key) ?? 0) + 1;
    this.waits.delete(key); // re-inserted last: the map's order is the order of the last wait
    this.waits.set(key, count);
    if (this.waits.size > REMEMBERED) this.waits.delete(this.waits.keys().next().value!);
  }

  /** `message` was settled (applied, or set aside): nothing more to remember. */
  forget(message: JsMsg): void {
    this.waits.delete(keyOf(message));
  }
}

const keyOf = (message: JsMsg) => `${message.info.stream}:${message.info.streamSequence}`;
