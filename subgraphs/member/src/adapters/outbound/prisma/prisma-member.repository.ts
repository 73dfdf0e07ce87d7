import type { Outbox } from '@gaji/platform';
import type { MemberRepository } from '../../../application/ports/member.repository.js';
import { Member } from '../../../domain/member.aggregate.js';
import { EmailTaken } from '../../../domain/member.errors.js';
import type { Member as MemberRow } from './generated/client.js';
import { isUniqueViolation, type MemberTransactions } from './member-database.js';

export class PrismaMemberRepository implements MemberRepository {
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
}

function toMember(row: MemberRow | null): Member | null {
  return row ? Member.restore(row) : null;
}
