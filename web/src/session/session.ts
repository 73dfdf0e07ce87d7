/** What the browser keeps of a signed-in member: the token pair and who they are. */
export interface Session {
  accessToken: string;
  /** ISO-8601; the access token is refreshed a little before this. */
  accessTokenExpiresAt: string;
  /** Single use: each refresh answers a new one (rotation). */
  refreshToken: string;
  member: { id: string; nickname: string };
}

export const isSession = (value: unknown): value is Session => {
  const session = value as Partial<Session> | null;
  return (
    typeof session?.accessToken === 'string' &&
    typeof session.accessTokenExpiresAt === 'string' &&
    typeof session.refreshToken === 'string' &&
    typeof session.member?.id === 'string' &&
    typeof session.member.nickname === 'string'
  );
};
