import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTokenVerifier, InvalidToken } from '@gaji/platform/auth';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { closeServer, listen } from '@gaji/platform/http';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import express from 'express';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountJwks } from '../../src/adapters/inbound/http/jwks.route.js';
import { SigningKeyRing } from '../../src/adapters/outbound/crypto/signing-key-ring.js';
import {
  createMemberDb,
  type MemberDb,
  type MemberTx,
} from '../../src/adapters/outbound/prisma/member-database.js';
import { PrismaMemberDirectory } from '../../src/adapters/outbound/prisma/prisma-member.directory.js';
import { PrismaMemberRepository } from '../../src/adapters/outbound/prisma/prisma-member.repository.js';
import { PrismaRefreshTokenStore } from '../../src/adapters/outbound/prisma/prisma-refresh-token.store.js';
import { Member } from '../../src/domain/member.aggregate.js';

const DAY = 86_400_000;

describe('member adapters (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: MemberDb;
  let transactions: Transactions<MemberTx>;
  beforeAll(async () => {
    database = await createTestDatabase('member_adapters');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'member', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    db = createMemberDb(database.url);
    transactions = new Transactions<MemberTx>(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const aMember = (email = `${randomUUID()}@example.com`) =>
    Member.join({ id: randomUUID(), email, nickname: 'Kim', passwordHash: 'scrypt$…', now: new Date() });

  describe('member repository', () => {
    it('saving stores the member and its MemberJoined in the outbox, in one transaction', async () => {
      const members = new PrismaMemberRepository(transactions, new Outbox('test-member'));
      const member = aMember();
      await members.save(member);

      expect((await members.findById(member.id))?.snapshot()).toEqual(member.snapshot());
      const outbox = await db.$queryRaw<{ type: string }[]>`
        SELECT envelope->>'type' AS type FROM gaji_outbox WHERE envelope->>'aggregateId' = ${member.id}`;
      expect(outbox).toEqual([{ type: 'MemberJoined' }]);
    });

    it('two sign-ups racing for one address: the database refuses the second with EMAIL_TAKEN, and it leaves nothing', async () => {
      const members = new PrismaMemberRepository(transactions, new Outbox('test-member'));
      const email = `${randomUUID()}@example.com`;
      await members.save(aMember(email));
      const second = aMember(email);

      await expect(members.save(second)).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(await members.findById(second.id)).toBeNull();
    });

    it('what the supergraph reads of members, many at once, never includes the password hash', async () => {
      const members = new PrismaMemberRepository(transactions, new Outbox('test-member'));
      const member = aMember();
      await members.save(member);

      const [view] = await new PrismaMemberDirectory(db).findByIds([member.id, randomUUID()]);
      expect(view).toEqual({
        id: member.id,
        nickname: 'Kim',
        email: member.snapshot().email,
        status: 'ACTIVE',
        joinedAt: member.snapshot().joinedAt,
      });
    });
  });

  describe('refresh token store', () => {
    // Refresh tokens belong to a stored member (a foreign key).
    const aStoredMember = async () => {
      const member = aMember();
      await new PrismaMemberRepository(transactions, new Outbox('test-member')).save(member);
      return member.id;
    };

    it('keeps only a hash of each token, finds it by the token, and lets it be used once', async () => {
      const tokens = new PrismaRefreshTokenStore(transactions, new Outbox('test-member'), 30 * DAY);
      const now = new Date();
      const memberId = await aStoredMember();
      const { token, expiresAt } = await tokens.create({
        memberId,
        familyId: randomUUID(),
        now,
      });

      expect(expiresAt.getTime() - now.getTime()).toBe(30 * DAY);
      expect(await db.refreshToken.count({ where: { tokenHash: token } })).toBe(0);
      const record = await tokens.findByToken(token);
      expect(record).toMatchObject({ usedAt: null, revokedAt: null });
      expect(await tokens.findByToken(`${token}x`)).toBeNull();

      const both = await Promise.all([tokens.markUsed(record!.id, now), tokens.markUsed(record!.id, now)]);
      expect(both.sort()).toEqual([false, true]);
    });

    it('revoking a session or all of a member’s tokens revokes exactly those; a session’s revocation is announced', async () => {
      const tokens = new PrismaRefreshTokenStore(transactions, new Outbox('test-member'), DAY);
      const [kim, lee, family] = [await aStoredMember(), await aStoredMember(), randomUUID()];
      const now = new Date();
      const inFamily = await tokens.create({ memberId: kim, familyId: family, now });
      const otherFamily = await tokens.create({ memberId: kim, familyId: randomUUID(), now });
      const someoneElse = await tokens.create({ memberId: lee, familyId: randomUUID(), now });

      await tokens.revokeSession({ memberId: kim, familyId: family }, now, 'LOGGED_OUT');
      expect((await tokens.findByToken(inFamily.token))?.revokedAt).toEqual(now);
      const [announced] = await db.$queryRaw<{ envelope: { type: string; payload: unknown } }[]>`
        SELECT envelope FROM gaji_outbox WHERE envelope->>'type' = 'SessionRevoked' AND envelope->>'aggregateId' = ${family}`;
      expect(announced?.envelope.payload).toEqual({ memberId: kim, sessionId: family, reason: 'LOGGED_OUT' });
      expect((await tokens.findByToken(otherFamily.token))?.revokedAt).toBeNull();

      await tokens.revokeAllOf(kim, now);
      expect((await tokens.findByToken(otherFamily.token))?.revokedAt).toEqual(now);
      expect((await tokens.findByToken(someoneElse.token))?.revokedAt).toBeNull();
    });
  });

  describe('signing key ring and JWKS route', () => {
    const options = {
      issuer: 'gaji-market/member',
      audience: 'gaji-market',
      accessTokenTtlMs: 900_000,
      scopes: ['member'],
      maxLifetimeSeconds: 900,
    };

    it('signs access tokens its own keys verify, with the member id, scopes and session', async () => {
      const keys = new SigningKeyRing(db, options);
      await keys.ensureKey();
      await keys.ensureKey(); // a second replica starting: still one active key
      expect(await db.signingKey.count({ where: { retiredAt: null } })).toBe(1);
      const verify = createTokenVerifier({ ...options, keys: keys.verificationKeys() });

      const { token } = await keys.sign('member-1', new Date(), 'session-1');
      expect(await verify(token)).toMatchObject({
        memberId: 'member-1',
        scopes: ['member'],
        sessionId: 'session-1',
      });
    });

    it('after a rotation the old key still verifies its tokens, and the JWKS route serves both public keys only', async () => {
      const keys = new SigningKeyRing(db, options);
      await keys.ensureKey();
      const before = await keys.sign('member-2', new Date(), 'session-2');
      const newKid = await keys.rotate();
      const after = await keys.sign('member-2', new Date(), 'session-2');
      const verify = createTokenVerifier({ ...options, keys: keys.verificationKeys() });
      expect(await verify(before.token)).toMatchObject({ memberId: 'member-2' });
      expect(await verify(after.token)).toMatchObject({ memberId: 'member-2' });

      const app = express();
      mountJwks(app, keys);
      const server = createServer(app);
      const port = await listen(server, 0, '127.0.0.1');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`);
        expect(response.headers.get('cache-control')).toBe('public, max-age=60');
        const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
        expect(jwks.keys.map((key) => key.kid)).toContain(newKid);
        expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
        for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
      } finally {
        await closeServer(server);
      }
    });

    it('a token signed by a key the ring never had is refused', async () => {
      const keys = new SigningKeyRing(db, options);
      const stranger = new SigningKeyRing(await otherDatabase(), options);
      await stranger.ensureKey();
      const { token } = await stranger.sign('member-3', new Date(), 'session-3');
      const verify = createTokenVerifier({ ...options, keys: keys.verificationKeys() });
      await expect(verify(token)).rejects.toBeInstanceOf(InvalidToken);
    });
  });

  let other: { database: TestDatabase; db: MemberDb } | undefined;
  async function otherDatabase(): Promise<MemberDb> {
    const database = await createTestDatabase('member_other_keys');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'member', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    other = { database, db: createMemberDb(database.url) };
    return other.db;
  }
  afterAll(async () => {
    await other?.db.$disconnect();
    await other?.database.drop();
  });
});
