import { InvalidInput } from '@gaji/domain-kernel';
import { describe, expect, it } from 'vitest';
import { Member } from '../../src/domain/member.aggregate.js';

const now = new Date('2026-11-25T10:00:00Z');
const join = (overrides: Partial<Parameters<typeof Member.join>[0]> = {}) =>
  Member.join({
    id: 'm-1',
    email: ' Kim@Example.COM ',
    nickname: '  Kim  Ji ',
    passwordHash: 'hash',
    now,
    ...overrides,
  });

describe('Member', () => {
  it('joining records MemberJoined with the normalised email and nickname', () => {
    const member = join();
    expect(member.pullEvents()).toEqual([
      {
        type: 'MemberJoined',
        aggregateId: 'm-1',
        occurredAt: now,
        payload: { memberId: 'm-1', email: 'kim@example.com', nickname: 'Kim Ji' },
      },
    ]);
    expect(member.pullEvents()).toEqual([]); // pulled once
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 'a b@c.de' }],
    ['nickname', { nickname: 'K' }],
    ['nickname', { nickname: 'x'.repeat(21) }],
    ['nickname', { nickname: '\u200B\u200B\u200B' }],
    ['nickname', { nickname: '\u3164\u3164' }], // Hangul fillers: a name that shows blank
    ['nickname', { nickname: '\u202EKim Ji' }],
    ['nickname', { nickname: 'Kim\u0007Ji' }],
    ['nickname', { nickname: '\u2066\u2069' }],
  ])('refuses a bad %s naming the field', (field, overrides) => {
    const attempt = () => join(overrides);
    expect(attempt).toThrow(InvalidInput);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidInput).details).toEqual({ field });
    }
  });

  it('counts a nickname in characters a person sees: 20 emoji, a family emoji and Korean fit', () => {
    for (const nickname of ['😀'.repeat(20), '👨‍👩‍👧‍👦 가족', '가지마켓'])
      expect(() => join({ nickname })).not.toThrow();
  });

  it('withdrawing records MemberWithdrawn once and erases the email address', () => {
    const member = join();
    member.pullEvents();
    member.withdraw(now);
    member.withdraw(now);
    expect(member.pullEvents()).toEqual([
      { type: 'MemberWithdrawn', aggregateId: 'm-1', occurredAt: now, payload: { memberId: 'm-1' } },
    ]);
    expect(member.isActive).toBe(false);
    expect(member.snapshot().email).toBe('withdrawn+m-1@invalid');
    expect(member.passwordHash).toBe('');
  });
});
