import { RevocationList } from '../auth/revocation-list.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';
import { StreamReader, type OnEntries } from './stream-reader.js';

export interface RevocationFeed {
  stop(): Promise<void>;
}

/** How long start-up waits for the backlog before serving anyway (and saying so). */
const CATCH_UP_TIMEOUT_MS = 5_000;

/**
 * Feeds `list` from the stream: MemberWithdrawn revokes every token of that member, SessionRevoked
 * every token of that session. Each process keeps its own list, read with the platform's
 * `StreamReader`: first the backlog of the last `retainMs` — every revocation that can still
 * concern an unexpired token — then everything new. It resolves once the backlog is applied, so a
 * process that has just started never honours a token revoked before it started.
 */
export async function followRevocations(
  bus: EventBus,
  list: RevocationList,
  retainMs: number,
  logger: Logger,
): Promise<RevocationFeed> {
  const stream = new StreamReader({ bus, logger });
  const apply: OnEntries = async (entries) => {
    for (const { event } of entries) {
      if (event?.type === 'MemberWithdrawn')
        list.add({ kind: 'member', memberId: event.payload.memberId, at: new Date(event.occurredAt) });
      if (event?.type === 'SessionRevoked')
        list.add({
          kind: 'session',
          memberId: event.payload.memberId,
          sessionId: event.payload.sessionId,
          at: new Date(event.occurredAt),
        });
    }
  };
  const from = await firstSequenceSince(bus, new Date(Date.now() - retainMs));
  const { lastSeq } = await stream.extent();
  const backlog = new AbortController();
  const caughtUp = stream.read(from, lastSeq, apply, backlog.signal).then(() => 'done' as const);
  if ((await within(caughtUp, CATCH_UP_TIMEOUT_MS, 'timeout')) === 'timeout') {
    logger.warn('revocation backlog not read within 5 s; serving while it catches up');
  }
  // What arrives from now on; a backlog still being read keeps going beside it.
  const follower = stream.follow(lastSeq + 1, apply);
  return {
    stop: async () => {
      backlog.abort();
      await caughtUp;
      await follower.stop();
    },
  };
}

/**
 * The first sequence stored at or after `since`, by binary search over the stream's timestamps
 * (a few dozen lookups however long the stream). A message that cannot be read (deleted) counts as
 * recent, so the search can only start earlier than needed, never skip a revocation.
 */
async function firstSequenceSince(bus: EventBus, since: Date): Promise<number> {
  const { state } = await bus.jsm.streams.info(bus.stream);
  let low = Math.max(1, state.first_seq);
  let high = state.last_seq + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const stored = await bus.jsm.streams.getMessage(bus.stream, { seq: middle }).catch(() => null);
    if (!stored || stored.time >= since) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** A revocation list kept for the longest token lifetime and fed from the stream until stopped. */
export async function startRevocations(
  bus: EventBus,
  config: { ACCESS_TOKEN_MAX_LIFETIME_SECONDS: number },
  logger: Logger,
): Promise<{ revocations: RevocationList; stop(): Promise<void> }> {
  const retainMs = config.ACCESS_TOKEN_MAX_LIFETIME_SECONDS * 1000;
  const revocations = new RevocationList(retainMs);
  const feed = await followRevocations(bus, revocations, retainMs, logger);
  return { revocations, stop: () => feed.stop() };
}
