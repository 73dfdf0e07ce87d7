import { z } from 'zod';

export const memberEvents = {
  MemberJoined: {
    context: 'member',
    aggregateType: 'Member',
    version: 1,
    payload: z.object({ memberId: z.string(), email: z.email(), nickname: z.string() }),
  },
  MemberWithdrawn: {
    context: 'member',
    aggregateType: 'Member',
    version: 1,
    payload: z.object({ memberId: z.string() }),
  },
  /**
   * One session (a refresh-token family) ended before its time: the member logged out, or a used
   * refresh token was presented again (a stolen token). Its access tokens carry the session id as
   * `sid` and are refused everywhere from now on.
   */
  SessionRevoked: {
    context: 'member',
    aggregateType: 'Session',
    version: 1,
    payload: z.object({
      memberId: z.string(),
      sessionId: z.string(),
      reason: z.enum(['LOGGED_OUT', 'REFRESH_TOKEN_REUSED']),
    }),
  },
} as const;
