import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ReplaySlots, takeReplaySlots } from '../../src/subscriptions/replay-slots.js';

const codeOf = (take: () => unknown) => {
  try {
    take();
    return undefined;
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions : error;
  }
};

describe('replay slots', () => {
  it('past the gateway’s replays a resume is refused SERVICE_BUSY, and the socket’s slot it took is given back', () => {
    const gateway = new ReplaySlots(1);
    const [first, second] = [new ReplaySlots(4), new ReplaySlots(4)];
    const release = takeReplaySlots(first, gateway);
    expect(codeOf(() => takeReplaySlots(second, gateway))).toEqual({
      code: 'SERVICE_BUSY',
      retryAfterSeconds: 1,
    });
    expect(second.size).toBe(0);
    release();
    release(); // a second release frees nothing more
    expect([gateway.size, first.size]).toEqual([0, 0]);
    expect(codeOf(() => takeReplaySlots(second, gateway))).toBeUndefined();
  });

  it('past the socket’s replays a resume is refused RATE_LIMITED without taking one of the gateway’s', () => {
    const gateway = new ReplaySlots(10);
    const socket = new ReplaySlots(2);
    takeReplaySlots(socket, gateway);
    takeReplaySlots(socket, gateway);
    expect(codeOf(() => takeReplaySlots(socket, gateway))).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });
    expect(gateway.size).toBe(2);
  });
});
