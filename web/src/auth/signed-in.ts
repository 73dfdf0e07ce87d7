import type { SignedInFragment } from '../__generated__/graphql';
import type { Session } from '../session/session';

/** The session to keep from a sign-up or log-in answer (the refresh token is in the cookie). */
export const sessionOf = (payload: SignedInFragment): Session => ({
  accessToken: payload.accessToken,
  accessTokenExpiresAt: payload.accessTokenExpiresAt,
  member: { id: payload.member.id, nickname: payload.member.nickname },
});

/**
 * Where to go after signing in: back to the page that asked, if it was one of ours. Read as the
 * browser reads it, not by its first characters: `/\host` (a backslash counts as a slash) or a tab
 * inside `//` names another origin, which the router cannot push — the log-in would then look failed.
 */
export function afterSignIn(search: string, origin = window.location.origin): string {
  const next = new URLSearchParams(search).get('next');
  if (!next?.startsWith('/')) return '/';
  const url = parsed(next, origin);
  if (!url) return '/';
  // Dot-segments are resolved by the parse: `/.//host/x` comes out as the path `//host/x`, which the
  // router would take for another origin too.
  if (url.origin !== origin || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * An address the URL parser refuses (`//[`, a port past 65535) is not one of our pages; a throw
 * here would leave a member who has just signed in on the form. (`URL.parse` would say the same,
 * but browsers before 2024 lack it.)
 */
function parsed(next: string, origin: string): URL | undefined {
  try {
    return new URL(next, origin);
  } catch {
    return undefined;
  }
}
