import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RevocationList } from '@gaji/platform/auth';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScryptPasswordHasher } from '../../src/adapters/outbound/crypto/scrypt-password-hasher.js';
import { SigningKeyRing } from '../../src/adapters/outbound/crypto/signing-key-ring.js';
import {
  createMemberDb,
  type MemberDb,
  type MemberTx,
} from '../../src/adapters/outbound/prisma/member-database.js';
import { PrismaMemberRepository } from '../../src/adapters/outbound/prisma/prisma-member.repository.js';
import { PrismaRefreshTokenStore } from '../../src/adapters/outbound/prisma/prisma-refresh-token.store.js';
import { LogIn } from '../../src/application/log-in/log-in.use-case.js';
import type { PasswordHasher } from '../../src/application/ports/password-hasher.js';
import { LogOut } from '../../src/application/log-out/log-out.use-case.js';
import { RefreshSession } from '../../src/application/refresh-session/refresh-session.use-case.js';
import { SessionStarter } from '../../src/application/session-starter.js';
import { Withdraw } from '../../src/application/withdraw/withdraw.use-case.js';
import { Member } from '../../src/domain/member.aggregate.js';

// The use cases over real PostgreSQL, called at the same moment: the interleavings a client
// produces by sending two mutations at once (log out while the page refreshes, withdraw from two tabs).
const ROUNDS = 12;
const ACCESS_TOKEN_TTL_MS = 900_000;
const PASSWORD = 'hunter22!';

describe('session races (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: MemberDb;
  let useCases: ReturnType<typeof wire>;
  let passwordHash: string;
  // Called once the log-in's password check is done: lets a round start the withdrawal right then.
  let afterPasswordCheck: () => void = () => {};
  beforeAll(async () => {
    database = await createTestDatabase('member_session_races');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'member', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    db = createMemberDb(database.url);
    useCases = wire(db);
    await useCases.keys.ensureKey();
    passwordHash = await new ScryptPasswordHasher().hash(PASSWORD);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  function wire(db: MemberDb) {
    const transactions = new Transactions<MemberTx>(db);
    const outbox = new Outbox('test-member');
    const uow = { run: <R>(work: () => Promise<R>) => transactions.run(() => work()) };
    const clock = { now: () => new Date() };
    const members = new PrismaMemberRepository(transactions, outbox);
    const refreshTokens = new PrismaRefreshTokenStore(transactions, outbox, 86_400_000);
    const keys = new SigningKeyRing(db, {
      issuer: 'gaji-market/member',
      audience: 'gaji-market',
      accessTokenTtlMs: ACCESS_TOKEN_TTL_MS,
      scopes: ['member'],
    });
    const sessions = new SessionStarter(keys, refreshTokens);
    // The real scrypt (the time a log-in really spends between reading the member and opening the session).
    const scrypt = new ScryptPasswordHasher();
    const hasher: PasswordHasher = {
      hash: (password) => scrypt.hash(password),
      verify: async (password, stored) => {
        const matches = await scrypt.verify(password, stored);
        afterPasswordCheck();
        return matches;
      },
    };
    return {
      keys,
      members,
      startSession: (memberId: string, familyId: string) =>
        uow.run(() => sessions.start(memberId, clock.now(), familyId)),
      logIn: new LogIn({ members, hasher, refreshTokens, sessions, uow, clock }),
      refresh: new RefreshSession({ members, refreshTokens, sessions, uow, clock }),
      logOut: new LogOut({ refreshTokens, uow, clock }),
      withdraw: new Withdraw({ members, refreshTokens, uow, clock }),
    };
  }

  async function aMember() {
    const email = `${randomUUID()}@example.com`;
    const member = Member.join({
      id: randomUUID(),
      email,
      nickname: 'Kim',
      passwordHash,
      now: new Date(),
    });
    await useCases.members.save(member);
    return { memberId: member.id, email };
  }

  async function aSignedInMember() {
    const member = Member.join({
      id: randomUUID(),
      email: `${randomUUID()}@example.com`,
      nickname: 'Kim',
      passwordHash: 'scrypt$…',
      now: new Date(),
    });
    await useCases.members.save(member);
    const familyId = randomUUID();
    return { memberId: member.id, familyId, session: await useCases.startSession(member.id, familyId) };
  }

  const liveTokens = (where: { familyId: string } | { memberId: string }) =>
    db.refreshToken.count({ where: { ...where, revokedAt: null } });
  const codeOf = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === 'rejected'
      ? ((outcome.reason as { code?: string }).code ?? String(outcome.reason))
      : 'ok';

  it('a session logged out while its refresh token is being rotated yields no refresh token that still works', async () => {
    const survivors: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { familyId, session } = await aSignedInMember();
      const [refreshed, loggedOut] = await Promise.allSettled([
        useCases.refresh.execute(session.refreshToken),
        useCases.logOut.execute(session.refreshToken),
      ]);
      expect(codeOf(loggedOut)).toBe('ok');
      expect(['ok', 'UNAUTHENTICATED']).toContain(codeOf(refreshed));
      if (refreshed.status === 'fulfilled') {
        const again = await useCases.refresh.execute(refreshed.value.refreshToken).then(
          () => 'ok',
          (error: { code?: string }) => error.code,
        );
        if (again === 'ok') survivors.push(`round ${round}: the rotated token still refreshes`);
      }
      if ((await liveTokens({ familyId })) > 0)
        survivors.push(`round ${round}: an unrevoked token in the family`);
    }
    expect(survivors).toEqual([]);
  });

  it('a withdrawal racing a refresh ends every session, and the refresh answers UNAUTHENTICATED or a token that no longer works — never a database error', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { memberId, session } = await aSignedInMember();
      const [refreshed, withdrawn] = await Promise.allSettled([
        useCases.refresh.execute(session.refreshToken),
        useCases.withdraw.execute(memberId),
      ]);
      expect(`refresh ${codeOf(refreshed)} / withdraw ${codeOf(withdrawn)}`).toMatch(
        /^refresh (ok|UNAUTHENTICATED) \/ withdraw ok$/,
      );
      const member = await db.member.findUniqueOrThrow({ where: { id: memberId } });
      expect(member.status).toBe('WITHDRAWN');
      expect(await liveTokens({ memberId })).toBe(0);
      if (refreshed.status === 'fulfilled')
        await expect(useCases.refresh.execute(refreshed.value.refreshToken)).rejects.toMatchObject({
          code: 'UNAUTHENTICATED',
        });
    }
  });

  /**
   * What a verifier does with a token of a withdrawn member: refuses it while it keeps the
   * member-wide revocation (one maximum token lifetime after the withdrawal), then trusts its expiry.
   * True when that entry still stands at the token's last accepted millisecond.
   */
  async function revocationOutlives(accessToken: string, memberId: string) {
    const [withdrawal] = await db.$queryRaw<{ at: string }[]>`
      SELECT envelope->>'occurredAt' AS at FROM gaji_outbox
      WHERE envelope->>'type' = 'MemberWithdrawn' AND envelope->>'aggregateId' = ${memberId}`;
    const at = new Date(withdrawal!.at);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
    };
    let now = at.getTime();
    const list = new RevocationList(ACCESS_TOKEN_TTL_MS, () => now);
    list.add({ kind: 'member', memberId, at });
    now = claims.exp * 1000 - 1; // jose accepts a token until the second of its `exp`
    return list.isRevoked({ memberId });
  }

  it('a log-in racing the withdrawal of its member is refused as INVALID_CREDENTIALS, or opened before it and ended by it: no live refresh token, and its access token expires while the member-wide revocation stands', async () => {
    const leaks: string[] = [];
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { memberId, email } = await aMember();
      // Even rounds withdraw while the password is being checked; odd ones right after, so the
      // withdrawal and the opening of the session meet at the member's row.
      let startWithdrawal!: () => void;
      const withdrawalMayStart = new Promise<void>((resolve) => (startWithdrawal = resolve));
      if (round % 2 === 0) startWithdrawal();
      else afterPasswordCheck = startWithdrawal;
      const [loggedIn, withdrawn] = await Promise.allSettled([
        useCases.logIn.execute({ email, password: PASSWORD }),
        withdrawalMayStart.then(() => useCases.withdraw.execute(memberId)),
      ]);
      afterPasswordCheck = () => {};
      outcomes.push(`log-in ${codeOf(loggedIn)} / withdraw ${codeOf(withdrawn)}`);
      if ((await liveTokens({ memberId })) > 0)
        leaks.push(`round ${round}: a live refresh token of the withdrawn member`);
      if (loggedIn.status === 'fulfilled') {
        const again = await useCases.refresh.execute(loggedIn.value.refreshToken).then(
          () => 'ok',
          (error: { code?: string }) => error.code,
        );
        if (again !== 'UNAUTHENTICATED') leaks.push(`round ${round}: its refresh token answered ${again}`);
        if (!(await revocationOutlives(loggedIn.value.accessToken, memberId)))
          leaks.push(`round ${round}: its access token outlives the member-wide revocation`);
      }
    }
    for (const outcome of outcomes)
      expect(outcome).toMatch(/^log-in (ok|INVALID_CREDENTIALS) \/ withdraw ok$/);
    expect(leaks).toEqual([]);
  });

  it('two withdrawals of one member at once: one succeeds, the other answers MEMBER_NOT_FOUND, and exactly one MemberWithdrawn is recorded', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { memberId } = await aSignedInMember();
      const outcomes = await Promise.allSettled([
        useCases.withdraw.execute(memberId),
        useCases.withdraw.execute(memberId),
      ]);

      expect(outcomes.map(codeOf).sort()).toEqual(['MEMBER_NOT_FOUND', 'ok']);
      const events = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM gaji_outbox
        WHERE envelope->>'type' = 'MemberWithdrawn' AND envelope->>'aggregateId' = ${memberId}`;
      expect(events[0]?.n).toBe(1);
    }
  });
});
