import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@gaji/contracts';
import type { MemberRepository } from '../../src/application/ports/member.repository.js';
import type { PasswordHasher } from '../../src/application/ports/password-hasher.js';
import type {
  AccessTokenSigner,
  RefreshTokenRecord,
  RefreshTokenStore,
  SessionRevocationReason,
} from '../../src/application/ports/session-tokens.js';
import { Member, type MemberState } from '../../src/domain/member.aggregate.js';
import { EmailTaken } from '../../src/domain/member.errors.js';

/** Fakes for use-case tests: same contracts as the Prisma adapters, kept in memory. */
export class InMemoryMembers implements MemberRepository {
  readonly rows = new Map<string, MemberState>();
  readonly published: RecordedEvent[] = [];

  async findById(id: string) {
    const row = this.rows.get(id);
    return row ? Member.restore(row) : null;
  }
  async findByEmail(email: string) {
    const row = [...this.rows.values()].find((member) => member.email === email);
    return row ? Member.restore(row) : null;
  }
  async save(member: Member) {
    const state = member.snapshot();
    if ([...this.rows.values()].some((row) => row.email === state.email && row.id !== state.id))
      throw new EmailTaken();
    this.rows.set(state.id, { ...state });
    this.published.push(...member.pullEvents());
  }
}

export class InMemoryRefreshTokens implements RefreshTokenStore {
  readonly records = new Map<string, RefreshTokenRecord>();
  async create(input: { memberId: string; familyId: string; now: Date }) {
    const token = randomUUID();
    const expiresAt = new Date(input.now.getTime() + 60_000);
    this.records.set(token, {
      id: randomUUID(),
      memberId: input.memberId,
      familyId: input.familyId,
      expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return { token, expiresAt };
  }
  async findByToken(token: string) {
    const record = this.records.get(token);
    return record ? { ...record } : null;
  }
  async lockSessionsOf() {} // one caller at a time in these tests
  async markUsed(id: string, now: Date) {
    const record = [...this.records.values()].find((r) => r.id === id);
    if (!record || record.usedAt) return false;
    record.usedAt = now;
    return true;
  }
  readonly revokedSessions: { sessionId: string; reason: SessionRevocationReason }[] = [];
  async revokeSession(
    session: { memberId: string; familyId: string },
    now: Date,
    reason: SessionRevocationReason,
  ) {
    for (const record of this.records.values())
      if (record.familyId === session.familyId) record.revokedAt ??= now;
    this.revokedSessions.push({ sessionId: session.familyId, reason });
  }
  async revokeAllOf(memberId: string, now: Date) {
    for (const record of this.records.values()) if (record.memberId === memberId) record.revokedAt ??= now;
  }
}

/** Reversible "hash" so tests stay fast; the real scrypt hasher has its own test. */
export const plainHasher: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (password, hash) => hash === `plain:${password}`,
};

export const fakeSigner: AccessTokenSigner = {
  sign: async (memberId, now, sessionId) => ({
    token: `access-for-${memberId}-in-${sessionId}`,
    expiresAt: new Date(now.getTime() + 900_000),
  }),
};
