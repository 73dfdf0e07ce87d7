import type { Clock, UnitOfWork } from '@gaji/platform/ports';

/**
 * For use-case tests with in-memory repositories: the work runs as is (one thread of execution,
 * nothing to roll back against). Real transactions are covered by the integration tests.
 */
export const directUnitOfWork: UnitOfWork = { run: (work) => work() };

/** A clock that always reads `iso`. */
export const fixedClock = (iso = '2026-11-25T10:00:00Z'): Clock => ({ now: () => new Date(iso) });

/** A clock that moves one second per reading, so the order of what a test does is observable. */
export function tickingClock(start = '2026-11-25T10:00:00Z'): Clock {
  let t = new Date(start).getTime();
  return { now: () => new Date((t += 1_000)) };
}
