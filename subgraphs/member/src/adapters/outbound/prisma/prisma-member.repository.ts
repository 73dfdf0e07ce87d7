import type { Outbox } from '@gaji/platform/events';
import type { MemberDirectory, MemberView } from '../../../application/ports/member-directory.js';
import type { MemberRepository } from '../../../application/ports/member.repository.js';
import { Member } from '../../../domain/member.aggregate.js';
import { EmailTaken } from '../../../domain/member.errors.js';
import type { Member as MemberRow } from './generated/client.js';
import { isUniqueViolation, type MemberTransactions } from './member-database.js';

export class PrismaMemberRepository implements MemberRepository, MemberDirectory {
  constructor(
    private readonly transactions: MemberTransactions,
    private readonly outbox: Outbox,
  ) {}

  findById(id: string): Promise<Member | null> {
    return this.transactions.run(async (tx) => toMember(await tx.member.findUnique({ where: { id } })));
  }

  findByEmail(email: string): Promise<Member | null> {
    return this.transactions.run(async (tx) => toMember(await tx.member.findUnique({ where: { email } })));
  }

  async save(member: Member): Promise<void> {
    const { id, ...state } = member.snapshot();
    try {
      await this.transactions.run(async (tx) => {
        await tx.member.upsert({ where: { id }, create: { id, ...state }, update: state });
        await this.outbox.append(tx, member.pullEvents());
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTaken();
      throw error;
    }
  }

  /** One query for the whole batch: this is what federation's `_entities` calls. */
  async findByIds(ids: readonly string[]): Promise<MemberView[]> {
    const rows = await this.transactions.run((tx) => tx.member.findMany({ where: { id: { in: [...ids] } } }));
    return rows.map((row) => ({
      id: row.id,
      nickname: row.nickname,
      email: row.email,
      status: row.status,
      joinedAt: row.joinedAt,
    }));
  }
}

function toMember(row: MemberRow | null): Member | null {
  return row ? Member.restore(row) : null;
}
