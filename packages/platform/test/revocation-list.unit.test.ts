import { describe, expect, it } from 'vitest';
import { InvalidToken, type Identity } from '../src/auth/access-token.js';
import { RevocationList, refusingRevoked } from '../src/auth/revocation-list.js';

const FIFTEEN_MINUTES = 15 * 60_000;

function listAt(start: number) {
  let now = start;
  const list = new RevocationList(FIFTEEN_MINUTES, () => now);
  return { list, advance: (ms: number) => (now += ms) };
}

const identity = (memberId: string, sessionId?: string): Identity => ({
  memberId,
  scopes: ['member'],
  token: 't',
  ...(sessionId ? { sessionId } : {}),
});

describe('revocation list', () => {
  it('refuses every token of a withdrawn member and only that member', () => {
    const { list } = listAt(1_000_000);
    list.add({ kind: 'member', memberId: 'm-1', at: new Date(1_000_000) });
    expect(list.isRevoked(identity('m-1'))).toBe(true);
    expect(list.isRevoked(identity('m-1', 's-9'))).toBe(true);
    expect(list.isRevoked(identity('m-2'))).toBe(false);
  });

  it('refuses the tokens of a logged-out session and keeps the member’s other sessions', () => {
    const { list } = listAt(1_000_000);
    list.add({ kind: 'session', memberId: 'm-1', sessionId: 's-1', at: new Date(1_000_000) });
    expect(list.isRevoked(identity('m-1', 's-1'))).toBe(true);
    expect(list.isRevoked(identity('m-1', 's-2'))).toBe(false);
    expect(list.isRevoked(identity('m-1'))).toBe(false);
  });

  it('forgets an entry once every token it could concern has expired', () => {
    const { list, advance } = listAt(1_000_000);
    list.add({ kind: 'member', memberId: 'm-1', at: new Date(1_000_000) });
    advance(FIFTEEN_MINUTES - 1);
    expect(list.isRevoked(identity('m-1'))).toBe(true);
    advance(1);
    expect(list.isRevoked(identity('m-1'))).toBe(false);
    advance(60_000);
    list.add({ kind: 'member', memberId: 'm-2', at: new Date(1_000_000 + FIFTEEN_MINUTES + 60_000) });
    expect(list.size).toBe(1);
  });

  it('ignores a revocation so old that no token it concerns is still valid', () => {
    const { list } = listAt(10 * FIFTEEN_MINUTES);
    const heard: string[] = [];
    list.onRevoked((revocation) => heard.push(revocation.memberId));
    list.add({ kind: 'member', memberId: 'm-1', at: new Date(0) });
    expect(list.size).toBe(0);
    expect(heard).toEqual([]);
  });

  it('tells listeners about each revocation as it arrives', () => {
    const { list } = listAt(1_000_000);
    const heard: string[] = [];
    const stop = list.onRevoked((revocation) => heard.push(revocation.kind));
    list.add({ kind: 'member', memberId: 'm-1', at: new Date(1_000_000) });
    stop();
    list.add({ kind: 'member', memberId: 'm-2', at: new Date(1_000_000) });
    expect(heard).toEqual(['member']);
  });

  it('a verifier refusing revoked tokens answers InvalidToken("revoked") after a valid signature', async () => {
    const { list } = listAt(Date.now());
    const verify = refusingRevoked(async () => identity('m-1', 's-1'), list);
    expect((await verify('t')).memberId).toBe('m-1');
    list.add({ kind: 'session', memberId: 'm-1', sessionId: 's-1', at: new Date() });
    await expect(verify('t')).rejects.toEqual(new InvalidToken('revoked'));
  });
});
