import { loadConfig } from '@gaji/platform/config';
import { postgresAdapter } from '@gaji/platform/database';
import {
  createTestDatabase,
  createTestStream,
  graphql,
  type TestDatabase,
  type TestStream,
} from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../src/adapters/outbound/prisma/generated/client.js';
import { PrismaMemberDirectory } from '../../src/adapters/outbound/prisma/prisma-member.directory.js';
import { memberConfigSchema } from '../../src/config.js';
import { startMemberService, type MemberService } from '../../src/member.service.js';

let db: TestDatabase;
let stream: TestStream;
let service: MemberService;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('member_directory');
  stream = createTestStream('memberdirectory');
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
  for (const nickname of ['Mina', 'Joon', 'Hana']) {
    const response = await graphql<{ signUp: { member: { id: string } } }>(
      service.url,
      'mutation ($email: String!, $nickname: String!) { signUp(email: $email, password: "correct horse 9 battery", nickname: $nickname) { member { id } } }',
      { email: `${nickname.toLowerCase()}@example.com`, nickname },
    );
    ids.push(response.data!.signUp.member.id);
  }
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
  await stream?.remove();
});

describe('member lookups for other contexts (_entities)', () => {
  it('a batch of sellers is answered in order, with null for unknown and malformed ids', async () => {
    const representations = [ids[2], 'not-a-uuid', ids[0], '00000000-0000-4000-8000-000000000000'].map(
      (id) => ({ __typename: 'Member', id }),
    );
    const response = await graphql<{ _entities: ({ nickname: string } | null)[] }>(
      service.url,
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { nickname } } }',
      { representations },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([{ nickname: 'Hana' }, null, { nickname: 'Mina' }, null]);
  });

  it('a batch lookup is one statement that never reads the password hash', async () => {
    const statements: string[] = [];
    const prisma = new PrismaClient({
      adapter: postgresAdapter(db.url, 2),
      log: [{ emit: 'event', level: 'query' }],
    });
    prisma.$on('query', (event) => statements.push(event.query));
    try {
      const views = await new PrismaMemberDirectory(prisma).findByIds(ids);
      expect(views.map((view) => view.nickname).sort()).toEqual(['Hana', 'Joon', 'Mina']);
      expect(views[0]).toEqual({
        id: expect.any(String),
        nickname: expect.any(String),
        email: expect.stringMatching(/@example\.com$/),
        status: 'ACTIVE',
        joinedAt: expect.any(Date),
      });
      expect(statements).toHaveLength(1);
      expect(statements[0]).not.toMatch(/password_hash/i);
      expect(statements[0]).not.toMatch(/\bBEGIN\b/i);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('the answer to signing in is the member’s own', () => {
  it('signing up, logging in and refreshing show the member their own email; a lookup by anyone else shows null', async () => {
    const payload = '{ refreshToken member { id email } }';
    const signedUp = await graphql<{
      signUp: { refreshToken: string; member: { id: string; email: string | null } };
    }>(
      service.url,
      `mutation { signUp(email: "Suji@Example.com", password: "correct horse 9 battery", nickname: "Suji") ${payload} }`,
    );
    const loggedIn = await graphql<{ logIn: { member: { email: string | null } } }>(
      service.url,
      `mutation { logIn(email: "suji@example.com", password: "correct horse 9 battery") ${payload} }`,
    );
    const refreshed = await graphql<{ refreshToken: { member: { email: string | null } } }>(
      service.url,
      `mutation ($token: String!) { refreshToken(refreshToken: $token) ${payload} }`,
      { token: signedUp.data?.signUp.refreshToken },
    );
    expect([signedUp.errors, loggedIn.errors, refreshed.errors]).toEqual([undefined, undefined, undefined]);
    expect([
      signedUp.data?.signUp.member.email,
      loggedIn.data?.logIn.member.email,
      refreshed.data?.refreshToken.member.email,
    ]).toEqual(['suji@example.com', 'suji@example.com', 'suji@example.com']);

    const lookedUp = await graphql<{ _entities: { email: string | null }[] }>(
      service.url,
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { email } } }',
      { representations: [{ __typename: 'Member', id: signedUp.data?.signUp.member.id }] },
    );
    expect(lookedUp.data?._entities).toEqual([{ email: null }]);
  });
});
