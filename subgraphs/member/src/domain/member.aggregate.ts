import { AggregateRoot } from '@gaji/domain-kernel';
import { normalizeEmail } from './email-address.js';
import { normalizeNickname } from './nickname.js';

export type MemberStatus = 'ACTIVE' | 'WITHDRAWN';

export interface MemberState {
  id: string;
  email: string;
  nickname: string;
  passwordHash: string;
  status: MemberStatus;
  joinedAt: Date;
  withdrawnAt: Date | null;
}

/** A person with an account. Joining and withdrawing are the two facts other contexts care about. */
export class Member extends AggregateRoot {
  private constructor(private state: MemberState) {
    super();
  }

  static join(input: {
    id: string;
    email: string;
    nickname: string;
    passwordHash: string;
    now: Date;
  }): Member {
    const member = new Member({
      id: input.id,
      email: normalizeEmail(input.email),
      nickname: normalizeNickname(input.nickname),
      passwordHash: input.passwordHash,
      status: 'ACTIVE',
      joinedAt: input.now,
      withdrawnAt: null,
    });
    member.record({
      type: 'MemberJoined',
      aggregateId: input.id,
      occurredAt: input.now,
      payload: { memberId: input.id, email: member.state.email, nickname: member.state.nickname },
    });
    return member;
  }

  static restore(state: MemberState): Member {
    return new Member({ ...state });
  }

  /**
   * Leaving erases the email address (personal data we no longer need, and it frees the address
   * for a future account); the nickname stays so past deals still read sensibly.
   */
  withdraw(now: Date): void {
    if (this.state.status === 'WITHDRAWN') return;
    this.state = {
      ...this.state,
      status: 'WITHDRAWN',
      withdrawnAt: now,
      email: `withdrawn+${this.state.id}@invalid`,
      passwordHash: '',
    };
    this.record({
      type: 'MemberWithdrawn',
      aggregateId: this.state.id,
      occurredAt: now,
      payload: { memberId: this.state.id },
    });
  }

  get id(): string {
    return this.state.id;
  }
  get isActive(): boolean {
    return this.state.status === 'ACTIVE';
  }
  get passwordHash(): string {
    return this.state.passwordHash;
  }
  snapshot(): Readonly<MemberState> {
    return { ...this.state };
  }
}
