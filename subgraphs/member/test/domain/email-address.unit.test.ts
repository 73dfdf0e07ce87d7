import { eventContracts } from '@gaji/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/domain/email-address.js';

const announceable = (email: string) =>
  eventContracts.MemberJoined.payload.safeParse({ memberId: 'm-1', email, nickname: 'Kim' }).success;

const accepted = (raw: string): string | undefined => {
  try {
    return normalizeEmail(raw);
  } catch {
    return undefined;
  }
};

describe('email address', () => {
  it('accepts exactly the addresses MemberJoined can announce (a property over 5,000 strings)', () => {
    const candidates = fc.oneof(
      fc.emailAddress(),
      fc.string({ maxLength: 30 }),
      fc
        .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.constantFrom('com', 'kr', 'x'))
        .map(([local, domain, tld]) => `${local}@${domain}.${tld}`),
    );
    fc.assert(
      fc.property(candidates, (raw) => {
        const email = accepted(raw);
        if (email !== undefined) expect(announceable(email)).toBe(true);
        else if (raw.trim().length <= 254) expect(announceable(raw.trim().toLowerCase())).toBe(false);
      }),
      { seed: 8, numRuns: 5_000 },
    );
  });

  it('normalizes case and surrounding space, and refuses what the fuzz run found', () => {
    expect(normalizeEmail('  Kim@Example.COM ')).toBe('kim@example.com');
    for (const raw of ['&!?@5had4q.sy7n.pwm', "h'j.z*`s_{//&1@8.a1kfmqp.aql", 'a@b', 'a@@b.com', '.a@b.com'])
      expect(accepted(raw), raw).toBeUndefined();
  });

  it('refuses a Kelvin sign rather than lower-case it into another address (U+212A becomes "k")', () => {
    expect(accepted('\u212Aim@example.com')).toBeUndefined();
    expect(normalizeEmail('KIM@example.com')).toBe('kim@example.com');
  });
});
