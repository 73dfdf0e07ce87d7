import { describe, expect, it } from 'vitest';
import { isServiceRestart, LiveConnectionClosed, liveError, SERVICE_RESTART } from '../src/graphql/live-link';

describe('how the web client reads a closed live connection', () => {
  it('a gateway closing with 1012 (service restart) is recognised, so the client comes back at once', () => {
    const error = liveError({ code: SERVICE_RESTART, reason: 'Service restart: reconnect and resume' });
    expect(error).toBeInstanceOf(LiveConnectionClosed);
    expect(isServiceRestart(error)).toBe(true);
  });

  it('any other close (token expired 4401, network 1006) is not a restart and backs off as before', () => {
    expect(isServiceRestart(liveError({ code: 4401 }))).toBe(false);
    expect(isServiceRestart(liveError({ code: 1006 }))).toBe(false);
    expect(isServiceRestart(liveError([{ message: 'Sign in first.' }]))).toBe(false);
  });

  it('the gateway and the web client agree on the code', async () => {
    const gateway = await import('../../gateway/src/subscriptions/websocket-server.js');
    expect(gateway.SERVICE_RESTART).toBe(SERVICE_RESTART);
  });
});
