import { describe, expect, it } from 'vitest';
import { InvalidToken, type Identity, type TokenVerifier } from '../src/auth/access-token.js';
import { RevocationList, refusingRevoked } from '../src/auth/revocation-list.js';
import { rememberingVerified } from '../src/auth/verified-token-cache.js';

const START = 1_000_000_000;

/** A verifier that honours each token's expiry on a clock the test moves, and counts its work. */
function fakeVerifier(expiries: Record<string, number>) {
  let now = START;
  const calls: string[] = [];
  const verify: TokenVerifier = async (token) => {
    calls.push(token);
    const expiresAt = expiries[token];
    if (expiresAt === undefined) throw new InvalidToken('invalid');
    if (now >= expiresAt) throw new InvalidToken('expired');
    return {
      memberId: `m-${token}`,
      scopes: ['member'],
      token,
      expiresAt: new Date(expiresAt),
      sessionId: 's-1',
    };
  };
  return { verify, calls, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe('verified token cache', () => {
  it('verifies a token once and hands back its identity while the token is current', async () => {
    const fake = fakeVerifier({ a: START + 900_000 });
    const verify = rememberingVerified(fake.verify, { maxEntries: 10, maxAgeMs: 60_000, now: fake.clock });
    const first = await verify('a');
    fake.advance(30_000);
    expect(await verify('a')).toBe(first);
    expect(fake.calls).toEqual(['a']);
  });

  it('refuses a remembered token as expired from the millisecond it expires', async () => {
    const fake = fakeVerifier({ a: START + 10_000 });
    const verify = rememberingVerified(fake.verify, { maxEntries: 10, maxAgeMs: 60_000, now: fake.clock });
    await verify('a');
    fake.advance(9_999);
    await verify('a');
    fake.advance(1);
    await expect(verify('a')).rejects.toMatchObject({ reason: 'expired' });
    expect(fake.calls).toEqual(['a', 'a']);
  });

  it('verifies a current token again once the maximum age of a verification has passed', async () => {
    const fake = fakeVerifier({ a: START + 900_000 });
    const verify = rememberingVerified(fake.verify, { maxEntries: 10, maxAgeMs: 60_000, now: fake.clock });
    await verify('a');
    fake.advance(60_000);
    await verify('a');
    expect(fake.calls).toEqual(['a', 'a']);
  });

  it('never remembers a token that failed: it is verified and refused every time', async () => {
    const fake = fakeVerifier({});
    const verify = rememberingVerified(fake.verify, { maxEntries: 10, maxAgeMs: 60_000, now: fake.clock });
    await expect(verify('forged')).rejects.toBeInstanceOf(InvalidToken);
    await expect(verify('forged')).rejects.toBeInstanceOf(InvalidToken);
    expect(fake.calls).toEqual(['forged', 'forged']);
  });

  it('still refuses a remembered token once its session is revoked', async () => {
    const fake = fakeVerifier({ a: START + 900_000 });
    const revocations = new RevocationList(900_000, fake.clock);
    const verify = refusingRevoked(
      rememberingVerified(fake.verify, { maxEntries: 10, maxAgeMs: 60_000, now: fake.clock }),
      revocations,
    );
    await verify('a');
    revocations.add({ kind: 'session', memberId: 'm-a', sessionId: 's-1', at: new Date(fake.clock()) });
    await expect(verify('a')).rejects.toMatchObject({ reason: 'revoked' });
  });

  it('forgets the least recently used token when full', async () => {
    const fake = fakeVerifier({ a: START + 900_000, b: START + 900_000, c: START + 900_000 });
    const verify = rememberingVerified(fake.verify, { maxEntries: 2, maxAgeMs: 60_000, now: fake.clock });
    for (const token of ['a', 'b', 'a', 'c', 'a', 'b']) await verify(token);
    expect(fake.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('remembers nothing for a token without an expiry', async () => {
    let calls = 0;
    const identity: Identity = { memberId: 'm', scopes: [], token: 'x' };
    const verify = rememberingVerified(
      async () => {
        calls += 1;
        return identity;
      },
      { maxEntries: 10, maxAgeMs: 60_000 },
    );
    await verify('x');
    await verify('x');
    expect(calls).toBe(2);
  });
});
