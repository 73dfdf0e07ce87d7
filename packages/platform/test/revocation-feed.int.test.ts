import { randomUUID } from 'node:crypto';
import { subjectFor, type EventEnvelope, type EventType } from '@gaji/contracts';
import { createTestStream, eventually, type TestStream } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { RevocationList } from '../src/auth/revocation-list.js';
import { connectEventBus, type EventBus } from '../src/events/event-bus.js';
import { followRevocations, type RevocationFeed } from '../src/events/revocation-feed.js';
import { createLogger } from '../src/logging/logger.js';

const logger = createLogger('test', 'silent');
const RETAIN_MS = 15 * 60_000;

function envelope(type: EventType, payload: unknown, occurredAt = new Date()): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    version: 1,
    aggregateType: type === 'SessionRevoked' ? 'Session' : 'Member',
    aggregateId: randomUUID(),
    occurredAt: occurredAt.toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    payload,
  };
}

describe('revocation feed (real JetStream)', () => {
  let stream: TestStream | undefined;
  let bus: EventBus | undefined;
  const feeds: RevocationFeed[] = [];
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
    await bus?.close();
    await stream?.remove();
  });

  async function setUp() {
    stream = createTestStream('revocations');
    bus = await connectEventBus({
      natsUrl: stream.natsUrl,
      stream: stream.stream,
      subjectPrefix: stream.subjectPrefix,
      name: 'test',
    });
    const publish = (type: EventType, payload: unknown, occurredAt?: Date) =>
      bus!.js.publish(
        subjectFor(stream!.subjectPrefix, type),
        JSON.stringify(envelope(type, payload, occurredAt)),
      );
    const follow = async () => {
      const list = new RevocationList(RETAIN_MS);
      feeds.push(await followRevocations(bus!, list, RETAIN_MS, logger));
      return list;
    };
    return { publish, follow };
  }

  it('a process that starts later has read every recent revocation before it serves', async () => {
    const { publish, follow } = await setUp();
    for (let i = 0; i < 50; i++)
      await publish('MemberJoined', { memberId: `j-${i}`, email: `j${i}@example.com`, nickname: 'J' });
    await publish('MemberWithdrawn', { memberId: 'm-1' });
    await publish('SessionRevoked', { memberId: 'm-2', sessionId: 's-2', reason: 'LOGGED_OUT' });

    const list = await follow();
    expect(list.isRevoked({ memberId: 'm-1' })).toBe(true);
    expect(list.isRevoked({ memberId: 'm-2', sessionId: 's-2' })).toBe(true);
    expect(list.isRevoked({ memberId: 'm-2', sessionId: 's-3' })).toBe(false);
  });

  it('starts at once on an empty stream and applies revocations as they are published', async () => {
    const { publish, follow } = await setUp();
    const started = Date.now();
    const list = await follow();
    expect(Date.now() - started).toBeLessThan(4_000); // not the 5 s catch-up timeout
    await publish('MemberWithdrawn', { memberId: 'm-9' });
    await eventually(() => expect(list.isRevoked({ memberId: 'm-9' })).toBe(true));
  });

  it('skips revocations older than the longest token lifetime', async () => {
    const { publish, follow } = await setUp();
    await publish('MemberWithdrawn', { memberId: 'old' }, new Date(Date.now() - RETAIN_MS - 60_000));
    const list = await follow();
    expect(list.isRevoked({ memberId: 'old' })).toBe(false);
  });
});
