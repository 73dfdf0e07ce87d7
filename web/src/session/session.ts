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
  /**
   * `ended`: the server ended the session (expired, revoked) without the member asking — say so;
   * `accountClosed`: because the member has withdrawn (elsewhere), so not "log in again".
   */
  | { status: 'signed-out'; ended: boolean; accountClosed?: true };

/**
 * Whether a value from outside this tab (another tab's handover, perhaps from an older build during
 * a deploy) is a whole session: a token, an expiry that parses as a date, a member with an id and a
 * nickname. Anything less would fail later, in a place that cannot ignore it.
 */
export function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const { accessToken, accessTokenExpiresAt, member } = fields(value);
  if (typeof accessToken !== 'string' || accessToken === '') return false;
  if (typeof accessTokenExpiresAt !== 'string' || Number.isNaN(Date.parse(accessTokenExpiresAt)))
    return false;
  if (typeof member !== 'object' || member === null) return false;
  const { id, nickname } = fields(member);
  return typeof id === 'string' && typeof nickname === 'string';
}

/** The fields of a value from outside this tab, to be checked one by one (none when it is no object). */
export function fields(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
