import { describe, expect, it } from 'vitest';
import { FollowerWatchdog } from '../src/events/follower-watchdog.js';

function watchdogAt(start = 0) {
  const clock = { now: start };
  return { clock, watchdog: new FollowerWatchdog(15_000, () => clock.now) };
}

describe('a stream follower’s watchdog', () => {
  it('calls a follower stalled once entries have waited a stall period with none handed over, then gives the restart as long again', () => {
    const { clock, watchdog } = watchdogAt();
    clock.now = 14_999;
    expect(watchdog.check(10, 12)).toBe('fine');
    clock.now = 15_000;
    expect(watchdog.check(10, 12)).toBe('stalled');
    clock.now = 20_000;
    expect(watchdog.check(10, 12)).toBe('fine');
    clock.now = 30_000;
    expect(watchdog.check(10, 12)).toBe('stalled');
  });

  it('never calls a follower with nothing left to hand over stalled, however long the stream is quiet', () => {
    const { clock, watchdog } = watchdogAt();
    for (clock.now = 0; clock.now <= 120_000; clock.now += 5_000) expect(watchdog.check(12, 12)).toBe('fine');
    // Entries arriving now are measured from now, not from the last hand-over minutes ago.
    clock.now += 5_000;
    expect(watchdog.check(12, 13)).toBe('fine');
  });

  it('counts each batch handed over as progress, so a follower catching up on a backlog is fine', () => {
    const { clock, watchdog } = watchdogAt();
    for (let position = 0; position < 100; position += 10) {
      clock.now += 10_000;
      watchdog.handing();
      watchdog.settled();
      watchdog.handedOver();
      expect(watchdog.check(position + 10, 1_000)).toBe('fine');
    }
  });

  it('reports a batch that stays in its handler once, as a slow handler, never as a stalled consumer', () => {
    const { clock, watchdog } = watchdogAt();
    watchdog.handing();
    clock.now = 15_000;
    expect(watchdog.check(10, 50)).toBe('slow-handler');
    clock.now = 60_000;
    expect(watchdog.check(10, 50)).toBe('fine');
    // A handler that threw settles without progress: the wait for the retry counts from before.
    watchdog.settled();
    expect(watchdog.check(10, 50)).toBe('stalled');
  });

  it('starts the stall period over while the stream’s end cannot be read (NATS away)', () => {
    const { clock, watchdog } = watchdogAt();
    for (clock.now = 5_000; clock.now <= 20_000; clock.now += 5_000) watchdog.unseen();
    // NATS is back at 20 s with entries waiting: the follower has a whole period to resume.
    clock.now = 25_000;
    expect(watchdog.check(10, 50)).toBe('fine');
    clock.now = 35_000;
    expect(watchdog.check(10, 50)).toBe('stalled');
  });
});
