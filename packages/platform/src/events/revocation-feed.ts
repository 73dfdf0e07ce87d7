import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { parseDomainEvent } from '@gaji/contracts';
import { RevocationList } from '../auth/revocation-list.js';
import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';

export interface RevocationFeed {
  stop(): Promise<void>;
}

/** How long start-up waits for the backlog before serving anyway (and saying so). */
const CATCH_UP_TIMEOUT_MS = 5_000;

/**
 * Feeds `list` from the member context's events: MemberWithdrawn revokes every token of that
 * member, SessionRevoked every token of that session. An ordered consumer (no durable state: every
 * process keeps its own list) reads from `retainMs` ago — every revocation that can still concern
 * an unexpired token — and resolves once that backlog is applied, so a process that has just
 * started never honours a token revoked before it started.
 */
export async function followRevocations(
  bus: EventBus,
  list: RevocationList,
  retainMs: number,
  logger: Logger,
): Promise<RevocationFeed> {
  const consumer = await bus.js.consumers.get(bus.stream, {
    filter_subjects: `${bus.subjectPrefix}.member.>`,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - retainMs).toISOString(),
  });
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });
  let caughtUp!: () => void;
  const backlogApplied = new Promise<void>((resolve) => (caughtUp = resolve));

  const loop = (async () => {
    for await (const message of messages) {
      try {
        const event = parseDomainEvent(message.json());
        const at = new Date(event.occurredAt);
        if (event.type === 'MemberWithdrawn')
          list.add({ kind: 'member', memberId: event.payload.memberId, at });
        if (event.type === 'SessionRevoked')
          list.add({
            kind: 'session',
            memberId: event.payload.memberId,
            sessionId: event.payload.sessionId,
            at,
          });
      } catch (error) {
        logger.warn(
          { err: error, seq: message.seq },
          'revocation feed skipped a message that breaks its contract',
        );
      }
      if (message.info.pending === 0) caughtUp();
    }
  })();

  // Nothing to catch up on: no message will say `pending: 0`, so ask the consumer.
  const info = await consumer.info(true).catch(() => undefined);
  if (info && info.num_pending === 0 && info.delivered.stream_seq === 0) caughtUp();
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(resolve, CATCH_UP_TIMEOUT_MS, 'timeout').unref(),
  );
  if ((await Promise.race([backlogApplied, timeout])) === 'timeout')
    logger.warn('revocation backlog not read within 5 s; serving while it catches up');

  return {
    stop: async () => {
      await messages.close();
      await loop;
    },
  };
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
