import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Outbox } from '@gaji/platform/events';
import type {
  RefreshTokenRecord,
  RefreshTokenStore,
  SessionRevocationReason,
} from '../../../application/ports/session-tokens.js';
import type { MemberTransactions } from './member-database.js';

// The token is 256 random bits, so a fast unsalted hash is enough: there is nothing to brute-force.
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export class PrismaRefreshTokenStore implements RefreshTokenStore {
  constructor(
    private readonly transactions: MemberTransactions,
    private readonly outbox: Outbox,
    private readonly ttlMs: number,
  ) {}

  async create(input: {
    memberId: string;
    familyId: string;
    now: Date;
  }): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(input.now.getTime() + this.ttlMs);
    await this.transactions.run((tx) =>
      tx.refreshToken.create({
        data: {
          id: randomUUID(),
          memberId: input.memberId,
          familyId: input.familyId,
          tokenHash: hashOf(token),
          issuedAt: input.now,
          expiresAt,
        },
      }),
    );
    return { token, expiresAt };
  }

  findByToken(token: string): Promise<RefreshTokenRecord | null> {
    return this.transactions.run((tx) =>
      tx.refreshToken.findUnique({
        where: { tokenHash: hashOf(token) },
        select: { id: true, memberId: true, familyId: true, expiresAt: true, usedAt: true, revokedAt: true },
      }),
    );
  }

  async lockSessionsOf(memberId: string): Promise<void> {
    // The member's row is the lock: withdrawal updates it anyway, so taking it first everywhere
    // gives one lock order. NO KEY UPDATE, not UPDATE: it orders session changes among themselves
    // only; a foreign-key check on this row (KEY SHARE, as inserting a refresh token takes) never waits on it.
    await this.transactions.run(
      (tx) => tx.$queryRaw`SELECT 1 FROM members WHERE id = ${memberId}::uuid FOR NO KEY UPDATE`,
    );
  }

  async markUsed(id: string, now: Date): Promise<boolean> {
    // Conditional update: of two concurrent refreshes with one token, exactly one wins.
    const { count } = await this.transactions.run((tx) =>
      tx.refreshToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } }),
    );
    return count === 1;
  }

  async revokeSession(
    session: { memberId: string; familyId: string },
    now: Date,
    reason: SessionRevocationReason,
  ): Promise<void> {
    const { memberId, familyId } = session;
    await this.transactions.run(async (tx) => {
      await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
      await this.outbox.append(tx, [
        {
          type: 'SessionRevoked',
          aggregateId: familyId,
          occurredAt: now,
          payload: { memberId, sessionId: familyId, reason },
        },
      ]);
      this.transactions.announceCommit(); // the relay publishes it on commit
    });
  }

  async revokeAllOf(memberId: string, now: Date): Promise<void> {
    await this.transactions.run((tx) =>
      tx.refreshToken.updateMany({ where: { memberId, revokedAt: null }, data: { revokedAt: now } }),
    );
  }
}
