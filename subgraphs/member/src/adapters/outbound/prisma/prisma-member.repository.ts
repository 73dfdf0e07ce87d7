import { saveWithEvents, type Outbox } from '@gaji/platform/events';
import type { MemberRepository } from '../../../application/ports/member.repository.js';
import { Member } from '../../../domain/member.aggregate.js';
import { EmailTaken } from '../../../domain/member.errors.js';
import type { Member as MemberRow } from './generated/client.js';
import type { MemberTransactions } from './member-database.js';

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

  save(member: Member): Promise<void> {
    const { id, ...state } = member.snapshot();
    return saveWithEvents(
      this.transactions,
      this.outbox,
      member,
      (tx) => tx.member.upsert({ where: { id }, create: { id, ...state }, update: state }),
      // The unique index on email settles two sign-ups racing for one address.
      { onUniqueViolation: () => new EmailTaken() },
    );
  }
}

function toMember(row: MemberRow | null): Member | null {
  return row ? Member.restore(row) : null;
}
