import type { Member } from '../../domain/member.aggregate.js';

export interface MemberRepository {
  findById(id: string): Promise<Member | null>;
  findByEmail(email: string): Promise<Member | null>;
  /** Saves the state and writes the events it recorded to the outbox, atomically. Throws EmailTaken on a duplicate address. */
  save(member: Member): Promise<void>;
}
