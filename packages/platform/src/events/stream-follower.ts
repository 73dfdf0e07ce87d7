import type { Logger } from '../logging/logger.js';
import { FollowerWatchdog } from './follower-watchdog.js';
import type { OnEntries, StreamFollower } from './ordered-stream.js';
import type { StreamSessions } from './stream-sessions.js';

/**
 * Hands over every entry from `from` on, as it arrives, until stopped. A watchdog re-creates the
 * consumer of a follower that hands over nothing while entries wait (FollowerWatchdog).
 */
export function followStream(
  sessions: StreamSessions,
  { logger, stallAfterMs }: { logger: Logger; stallAfterMs: number },
  from: number,
  onEntries: OnEntries,
): StreamFollower {
  const stopping = new AbortController();
  const state = { position: Math.max(1, from) - 1, running: false };
  const watchdog = new FollowerWatchdog(stallAfterMs);
  // One attempt: a consumer's session, then the pause after it fails; the watchdog aborts it.
  let attempt = new AbortController();
  const checks = setInterval(
    () => {
      if (!sessions.connection.connected) return watchdog.unseen();
      // The attempt this check looks at: one begun while the stream's extent was asked is not its to abort.
      const checked = attempt;
      sessions.extent().then(
        ({ lastSeq }) => {
          const verdict = watchdog.check(state.position, lastSeq);
          if (verdict === 'slow-handler')
            logger.warn(
              { position: state.position, afterMs: stallAfterMs },
              'stream follower: a batch has not settled in its handler yet',
            );
          if (verdict !== 'stalled') return;
          logger.warn(
            { position: state.position, lastSeq, running: state.running, afterMs: stallAfterMs },
            'stream follower stalled: entries wait but none was handed over; re-creating its consumer',
          );
          checked.abort();
        },
        () => watchdog.unseen(), // NATS away: the session's own failure handling is at work
      );
    },
    Math.ceil(stallAfterMs / 3),
  );
  checks.unref();
  const loop = (async () => {
    try {
      for (let failures = 0; !stopping.signal.aborted;) {
        attempt = new AbortController();
        const signal = AbortSignal.any([stopping.signal, attempt.signal]);
        try {
          await sessions.session(
            state.position + 1,
            signal,
            async (entries) => {
              watchdog.handing();
              try {
                await onEntries(entries);
              } finally {
                watchdog.settled();
              }
              state.position = entries.at(-1)!.seq;
              watchdog.handedOver();
              failures = 0;
              return false;
            },
            (expected, got) =>
              logger.error(
                { from: expected, until: got - 1 },
                'the stream no longer holds these events; the follower passed over them',
              ),
            (open) => {
              state.running = open;
              if (open) failures = 0;
            },
          );
          if (!stopping.signal.aborted)
            throw new Error(
              attempt.signal.aborted ? 'restarted by its watchdog' : 'the ordered consumer ended by itself',
            );
        } catch (error) {
          state.running = false;
          failures += 1;
          await sessions.pause(
            'stream follower failed; resuming after the last entry handed over',
            error,
            failures,
            state.position + 1,
            signal,
          );
        }
      }
    } finally {
      clearInterval(checks);
    }
  })();
  return {
    get position() {
      return state.position;
    },
    get running() {
      return state.running;
    },
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}
