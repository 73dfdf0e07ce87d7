import { randomUUID } from 'node:crypto';
import { subjectFor, type EventEnvelope, type RecordedEvent } from '@gaji/contracts';
import {
  createTestDatabase,
  createTestPrisma,
  createTestStream,
  type TestDatabase,
  type TestPrisma,
  type TestStream,
  type TestTx,
} from '@gaji/testkit';
import { connectEventBus, type EventBus } from '../src/events/event-bus.js';
import { platformMigrations, runMigrations } from '../src/database/migrations.js';
import { Transactions } from '../src/database/transactions.js';
import { Outbox } from '../src/events/outbox.js';

/** Object mother: a valid MemberJoined as a domain model would record it. */
export function aMemberJoined(n = 0): RecordedEvent<'MemberJoined'> {
  const memberId = randomUUID();
  return {
    type: 'MemberJoined',
    aggregateId: memberId,
    occurredAt: new Date(),
    payload: { memberId, email: `m${n}@example.com`, nickname: `member${n}` },
  };
}

export function anEnvelope(n = 0): EventEnvelope {
  const event = aMemberJoined(n);
  return {
    id: randomUUID(),
    type: event.type,
    version: 1,
    aggregateType: 'Member',
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt.toISOString(),
    correlationId: event.aggregateId,
    causationId: null,
    payload: event.payload,
  };
}

/** A real database with the platform tables, a real stream, and the platform pieces over them. */
export interface PlatformRig {
  db: TestDatabase;
  prisma: TestPrisma;
  stream: TestStream;
  bus: EventBus;
  transactions: Transactions<TestTx>;
  outbox: Outbox;
  dispose(): Promise<void>;
}

export async function createPlatformRig(label: string, natsUrl?: string): Promise<PlatformRig> {
  const db = await createTestDatabase(label);
  await runMigrations(db.url, [platformMigrations]);
  const prisma = await createTestPrisma(db.url);
  const stream = createTestStream(label);
  const bus = await connectEventBus({
    natsUrl: natsUrl ?? stream.natsUrl,
    stream: stream.stream,
    subjectPrefix: stream.subjectPrefix,
    name: `test-${label}`,
  });
  return {
    db,
    prisma,
    stream,
    bus,
    transactions: new Transactions(prisma),
    outbox: new Outbox(stream.subjectPrefix),
    async dispose() {
      await bus.jsm.streams.delete(stream.stream).catch(() => undefined);
      await bus.jsm.streams.delete(`${stream.stream}_DEAD`).catch(() => undefined);
      await bus.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}

export async function unpublishedCount(prisma: TestPrisma): Promise<number> {
  const [row] = await prisma.$queryRaw<
    { count: bigint }[]
  >`SELECT count(*) AS count FROM gaji_outbox WHERE published_at IS NULL`;
  return Number(row?.count ?? -1);
}

/**
 * Publishes `envelope` (or a raw body) on the MemberJoined subject under `msgID`, a fresh one by
 * default, so that two copies of one event are both stored.
 */
export async function publishMemberJoined(
  r: PlatformRig,
  envelope: EventEnvelope | string,
  msgID = randomUUID(),
): Promise<void> {
  const body = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
  await r.bus.js.publish(subjectFor(r.stream.subjectPrefix, 'MemberJoined'), body, { msgID });
}
