/**
 * What the page holds of a signed-in member: the short-lived access token, in memory only, and who
 * they are. The refresh token never reaches JavaScript: it is an HttpOnly cookie that only the
 * gateway's /auth routes read (docs/decisions/0009-browser-session-cookie.md).
 */
export interface Session {
  accessToken: string;
  /** ISO-8601; the access token is refreshed a little before this. */
  accessTokenExpiresAt: string;
  member: { id: string; nickname: string };
}

export type SessionState =
  /**
   * `signIn`: the sign-in (as named in the shared mark) the session comes from. Another one — in
   * this tab or another — is another session, even for the same member: a new client and socket.
   */
  | { status: 'signed-in'; session: Session; signIn: string }
  /** `ended`: the server ended the session (expired, revoked) without the member asking — say so. */
  | { status: 'signed-out'; ended: boolean };
