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
} as const;
