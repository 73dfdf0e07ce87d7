import type { SignedInFragment } from '../__generated__/graphql';
import type { Session } from '../session/session';

/** The session to keep from a sign-up or log-in answer (the refresh token is in the cookie). */
export const sessionOf = (payload: SignedInFragment): Session => ({
  accessToken: payload.accessToken,
  accessTokenExpiresAt: payload.accessTokenExpiresAt,
  member: { id: payload.member.id, nickname: payload.member.nickname },
});

/** Where to go after signing in: back to the page that asked, if it was one of ours. */
export function afterSignIn(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}
