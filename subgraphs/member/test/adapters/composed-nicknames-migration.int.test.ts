import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrateAsBefore, migrateFully, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const member = { namespace: 'member', directory: migrations };

/**
 * Members who signed up before nicknames were composed: the one from macOS kept conjoining jamo
 * (NFD). Once migrated, every nickname is the composed form a sign-up stores today.
 */
describe('migration 0002_composed_nicknames on a database in use (real PostgreSQL)', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const [fromMacOs, fromAndroid, withEmoji] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    database = await createTestDatabase('member_composed_nicknames');
    await migrateAsBefore(database.url, member, '0002_composed_nicknames');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO members (id, email, nickname, password_hash, joined_at)
       VALUES ($1, 'mac@example.com', $4, 'h', now()), ($2, 'android@example.com', $5, 'h', now()),
              ($3, 'emoji@example.com', $6, 'h', now())`,
      [fromMacOs, fromAndroid, withEmoji, '가지 마켓'.normalize('NFD'), '가지 마켓', '👨‍👩‍👧 가족'],
    );
    await migrateFully(database.url, member);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('composes a nickname stored as jamo, and leaves composed ones (and emoji joiners) as they were', async () => {
    const { rows } = await client.query<{ id: string; nickname: string }>('SELECT id, nickname FROM members');
    const nicknameOf = (id: string) => rows.find((row) => row.id === id)?.nickname;
    expect(nicknameOf(fromMacOs)).toBe('가지 마켓');
    expect(nicknameOf(fromAndroid)).toBe('가지 마켓');
    expect(nicknameOf(withEmoji)).toBe('👨‍👩‍👧 가족');
    expect(nicknameOf(fromMacOs)).toBe(nicknameOf(fromAndroid));
  });
});
