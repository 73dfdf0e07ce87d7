import { createTestDatabase, createTestPrisma, type TestDatabase, type TestPrisma } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { platformMigrations, runMigrations } from '../src/database/migrations.js';
import { pruneEventTables } from '../src/events/housekeeping.js';

describe('event table pruning (real PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  let prisma: TestPrisma | undefined;
  afterEach(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('deletes published outbox rows and processed ids past their retention, and nothing else', async () => {
    db = await createTestDatabase('prune');
    await runMigrations(db.url, [platformMigrations]);
    prisma = await createTestPrisma(db.url);
    await prisma.$executeRawUnsafe(`INSERT INTO gaji_outbox (id, subject, envelope, created_at, published_at) VALUES
      (gen_random_uuid(), 's', '{}', now() - interval '10 days', now() - interval '10 days'),
      (gen_random_uuid(), 's', '{}', now() - interval '10 days', NULL),
      (gen_random_uuid(), 's', '{}', now() - interval '1 day', now() - interval '1 day')`);
    await prisma.$executeRawUnsafe(`INSERT INTO gaji_processed_events (consumer, event_id, stream_seq, processed_at) VALUES
      ('c', gen_random_uuid(), 1, now() - interval '100 days'),
      ('c', gen_random_uuid(), 2, now() - interval '10 days')`);

    expect(await pruneEventTables(prisma, { outbox: 7, processedEvents: 90 })).toEqual({
      outbox: 1,
      processedEvents: 1,
    });
    const outbox = await prisma.$queryRawUnsafe<{ published: boolean }[]>(
      'SELECT published_at IS NOT NULL AS published FROM gaji_outbox ORDER BY created_at',
    );
    expect(outbox.map((row) => row.published)).toEqual([false, true]); // never an unpublished row
    const processed = await prisma.$queryRawUnsafe<{ stream_seq: bigint }[]>(
      'SELECT stream_seq FROM gaji_processed_events',
    );
    expect(processed.map((row) => Number(row.stream_seq))).toEqual([2]);
  });
});
