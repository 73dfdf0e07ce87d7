import { randomUUID } from 'node:crypto';
import { POINTS_PER_CHARACTER_MAX } from '@gaji/contracts';
import { loadConfig } from '@gaji/platform/config';
import {
  createTestDatabase,
  createTestStream,
  graphql,
  type TestDatabase,
  type TestStream,
} from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberConfigSchema } from '../../src/config.js';
import { startMemberService, type MemberService } from '../../src/member.service.js';

const SIGN_UP = `mutation ($email: String!, $nickname: String!) {
  signUp(email: $email, password: "correct horse 9 battery", nickname: $nickname) { member { nickname } } }`;

// 👨‍👩‍👧‍👦 is one character to a person and to the nickname rule, and 11 UTF-16 units to a string length.
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';

const UNASSIGNED = 'Remove private-use, unassigned and noncharacter code points.';
const STACKED = `Use at most ${POINTS_PER_CHARACTER_MAX} code points in one character (fewer marks on it).`;

let db: TestDatabase;
let stream: TestStream;
let service: MemberService;

beforeAll(async () => {
  db = await createTestDatabase('member_sign_up_nickname');
  stream = createTestStream('membersignupnickname');
  service = await startMemberService(
    loadConfig(memberConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      MEMBER_DATABASE_URL: db.url,
      EVENT_STREAM: stream.stream,
      EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
      PASSWORD_HASH_COST: '1024',
    }),
  );
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
  await stream?.remove();
});

const signUp = (nickname: string) =>
  graphql<{ signUp: { member: { nickname: string } } }>(service.url, SIGN_UP, {
    email: `${randomUUID()}@example.com`,
    nickname,
  });

describe('a nickname is measured in characters as a person counts them (signUp over GraphQL)', () => {
  it('a nickname of 20 family emoji — 20 characters, 220 UTF-16 units — is accepted as typed', async () => {
    const response = await signUp(FAMILY.repeat(20));
    expect(response.errors).toBeUndefined();
    expect(response.data?.signUp.member.nickname).toBe(FAMILY.repeat(20));
  });

  it('a nickname of 21 family emoji is refused by the nickname rule, with its message and field', async () => {
    const response = await signUp(FAMILY.repeat(21));
    expect(response.errors?.[0]).toMatchObject({
      message: 'Use 2 to 20 characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'nickname' },
    });
  });

  it('a nickname typed as jamo (NFD, macOS) is stored and answered as the syllables Android sends (NFC)', async () => {
    const typedOnMacOs = '가지 마켓'.normalize('NFD'); // nine conjoining jamo and a space
    expect(typedOnMacOs).toHaveLength(10);
    const response = await signUp(typedOnMacOs);
    expect(response.errors).toBeUndefined();
    expect(response.data?.signUp.member.nickname).toBe('가지 마켓');
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM members WHERE nickname = $1',
        ['가지 마켓'],
      );
      expect(rows[0]?.n).toBe('1');
    } finally {
      await client.end();
    }
  });

  it.each([
    ['a zero-width joiner at the end', '가지\u200D', 'Remove invisible characters.'],
    ['a zero-width space inside', '가\u200B지', 'Remove invisible characters.'],
    ['a right-to-left mark', '가지\u200F마켓', 'Remove control and text-direction characters.'],
    ['600 trailing jamo on one syllable', `\u1100\u1161${'\u11A8'.repeat(600)}가`, STACKED],
    ['200 accents on one letter', `a${'\u0301'.repeat(200)}b`, STACKED],
    ['a byte order mark inside (was kept as a space: 가 지)', '가\uFEFF지', 'Remove invisible characters.'],
    ['a byte order mark at the end (was trimmed away)', '가지\uFEFF', 'Remove invisible characters.'],
    ['private-use characters', '\uE000\uE001', UNASSIGNED],
    ['a noncharacter', 'a\uFFFE', UNASSIGNED],
    ['an unassigned code point', '\u0378x', UNASSIGNED],
  ])('a nickname with %s is refused with BAD_USER_INPUT on nickname', async (_case, nickname, message) => {
    const response = await signUp(nickname);
    expect(response.errors?.[0]).toMatchObject({
      message,
      extensions: { code: 'BAD_USER_INPUT', field: 'nickname' },
    });
  });

  it('an absurdly long nickname is refused by its size alone, before the nickname rule reads it', async () => {
    const response = await signUp('a'.repeat(50_000));
    expect(response.errors?.[0]?.message).toBe('nickname must be at most 20 characters.');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nickname' });
  });
});
