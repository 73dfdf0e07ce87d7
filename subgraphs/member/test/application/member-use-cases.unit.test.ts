import { describe, expect, it } from 'vitest';
import { directUnitOfWork, fixedClock } from '@gaji/testkit';
import { LogIn } from '../../src/application/log-in/log-in.use-case.js';
import { LogOut } from '../../src/application/log-out/log-out.use-case.js';
import { RefreshSession } from '../../src/application/refresh-session/refresh-session.use-case.js';
import { SessionStarter } from '../../src/application/session-starter.js';
import { SignUp } from '../../src/application/sign-up/sign-up.use-case.js';
import { Withdraw } from '../../src/application/withdraw/withdraw.use-case.js';
import { EmailTaken, InvalidCredentials, MemberNotFound } from '../../src/domain/member.errors.js';
import { fakeSigner, InMemoryMembers, InMemoryRefreshTokens, plainHasher } from './in-memory-adapters.js';

function given() {
  const members = new InMemoryMembers();
  const refreshTokens = new InMemoryRefreshTokens();
  const sessions = new SessionStarter(fakeSigner, refreshTokens);
  const clock = fixedClock();
  const deps = { members, refreshTokens, sessions, hasher: plainHasher, uow: directUnitOfWork, clock };
  let ids = 0;
  return {
    members,
    refreshTokens,
    signUp: new SignUp({ ...deps, newId: () => `member-${++ids}` }),
    logIn: new LogIn(deps),
    refresh: new RefreshSession(deps),
    logOut: new LogOut(deps),
    withdraw: new Withdraw(deps),
  };
}

describe('member use cases', () => {
  it('signing up stores the member, records MemberJoined and opens a session', async () => {
    const { signUp, members } = given();
    const session = await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    expect(session.memberId).toBe('member-1');
    expect(session.accessToken).toMatch(/^access-for-member-1-in-/);
    expect(members.published.map((event) => event.type)).toEqual(['MemberJoined']);
  });

  it('signing up with a taken email (in any case) fails with EMAIL_TAKEN and records nothing', async () => {
    const { signUp, members } = given();
    await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    await expect(
      signUp.execute({ email: 'KIM@example.com', password: 'hunter22', nickname: 'Kim2' }),
    ).rejects.toThrow(EmailTaken);
    expect(members.rows.size).toBe(1);
    expect(members.published).toHaveLength(1);
  });

  it('logging in with an unknown email or a wrong password fails the same way', async () => {
    const { signUp, logIn } = given();
    await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    const unknown = await logIn
      .execute({ email: 'lee@example.com', password: 'hunter22' })
      .catch((e: unknown) => e);
    const wrong = await logIn
      .execute({ email: 'kim@example.com', password: 'hunter23' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidCredentials);
    expect(wrong).toBeInstanceOf(InvalidCredentials);
    expect((unknown as Error).message).toBe((wrong as Error).message);
  });

  it('a refresh token works once; presenting it again ends the whole session family', async () => {
    const { signUp, refresh, refreshTokens } = given();
    const first = await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    const second = await refresh.execute(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);

    await expect(refresh.execute(first.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'reused' },
    });
    // The thief's replay also locks out the newer token: whoever holds it must sign in again.
    await expect(refresh.execute(second.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'revoked' },
    });
    // …and its access tokens: the session is announced as revoked.
    expect(refreshTokens.revokedSessions).toEqual([
      { sessionId: expect.any(String), reason: 'REFRESH_TOKEN_REUSED' },
    ]);
  });

  it('logging out revokes that session once (SessionRevoked) and leaves the member’s other sessions', async () => {
    const { signUp, logIn, logOut, refresh, refreshTokens } = given();
    const phone = await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    const laptop = await logIn.execute({ email: 'kim@example.com', password: 'hunter22' });
    expect(phone.accessToken).not.toBe(laptop.accessToken); // each carries its own session id

    await logOut.execute(phone.refreshToken);
    await logOut.execute(phone.refreshToken);
    await logOut.execute('not-a-token');

    expect(refreshTokens.revokedSessions).toEqual([{ sessionId: expect.any(String), reason: 'LOGGED_OUT' }]);
    expect(phone.accessToken).toContain(refreshTokens.revokedSessions[0]!.sessionId);
    await expect(refresh.execute(phone.refreshToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(refresh.execute(laptop.refreshToken)).resolves.toMatchObject({ memberId: phone.memberId });
  });

  it('withdrawing records MemberWithdrawn, ends sessions, and cannot happen twice', async () => {
    const { signUp, withdraw, refresh, logIn, members } = given();
    const session = await signUp.execute({ email: 'kim@example.com', password: 'hunter22', nickname: 'Kim' });
    await withdraw.execute(session.memberId);

    expect(members.published.map((event) => event.type)).toEqual(['MemberJoined', 'MemberWithdrawn']);
    // Said as such, so a browser refreshing from another device can tell the member the account is
    // closed rather than ask them to log in again (which could only fail).
    await expect(refresh.execute(session.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'withdrawn' },
    });
    await expect(logIn.execute({ email: 'kim@example.com', password: 'hunter22' })).rejects.toThrow(
      InvalidCredentials,
    );
    await expect(withdraw.execute(session.memberId)).rejects.toThrow(MemberNotFound);
  });
});
