import { describe, expect, it } from 'vitest';
import {
  afterLiveError,
  isServiceRestart,
  LiveConnectionClosed,
  liveError,
  SERVICE_RESTART,
  SESSION_REFUSED,
  TOKEN_EXPIRED,
} from '../src/graphql/live-link';

describe('how the web client reads a closed live connection', () => {
  it('a gateway closing with 1012 (service restart) is recognised, so the client comes back at once', () => {
    const error = liveError({ code: SERVICE_RESTART, reason: 'Service restart: reconnect and resume' });
    expect(error).toBeInstanceOf(LiveConnectionClosed);
    expect(isServiceRestart(error)).toBe(true);
  });

  it('any other close (token expired 4401, network 1006) is not a restart', () => {
    expect(isServiceRestart(liveError({ code: 4401 }))).toBe(false);
    expect(isServiceRestart(liveError({ code: 1006 }))).toBe(false);
    expect(isServiceRestart(liveError([{ message: 'Sign in first.' }]))).toBe(false);
  });

  it('a session the gateway refused (4403: revoked) is confirmed with the refresh cookie, never simply reconnected', () => {
    expect(afterLiveError(liveError({ code: 4403, reason: 'Forbidden: this session has ended' }))).toBe(
      'confirm-session',
    );
  });

  it('an expired token (4401) is renewed from the refresh cookie before reconnecting', () => {
    expect(afterLiveError(liveError({ code: TOKEN_EXPIRED, reason: 'Token expired' }))).toBe('renew-token');
  });

  it('the gateway and the web client agree on the codes', async () => {
    const { SOCKET_CLOSE } = await import('../../gateway/src/subscriptions/socket-close.js');
    expect(SOCKET_CLOSE.serviceRestart.code).toBe(SERVICE_RESTART);
    expect(SOCKET_CLOSE.tokenExpired.code).toBe(TOKEN_EXPIRED);
    expect(SOCKET_CLOSE.tokenRefused.code).toBe(SESSION_REFUSED);
    expect(SOCKET_CLOSE.sessionEnded.code).toBe(SESSION_REFUSED);
    // Member's keys not loaded: an outage, not a verdict on the session — reconnect after a back-off.
    expect(afterLiveError(liveError({ code: SOCKET_CLOSE.keysUnavailable.code }))).toBe('back-off');
  });

  it('a restart comes back at once; network loss and a refused operation back off', () => {
    expect(afterLiveError(liveError({ code: SERVICE_RESTART }))).toBe('resume-at-once');
    expect(afterLiveError(liveError({ code: 1006 }))).toBe('back-off');
    expect(
      afterLiveError(liveError([{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }])),
    ).toBe('back-off');
  });

  it('the gateway closes a revoked session’s sockets with the code the web client reads as refused', async () => {
    const { ClientSockets } = await import('../../gateway/src/subscriptions/client-sockets.js');
    const sockets = new ClientSockets({
      maxConnectionsPerAddress: 1,
      maxSubscriptionsPerAddress: 1,
      maxLiveCostPerSocket: 1,
      maxLiveCostPerAddress: 1,
    });
    const socket = sockets.open('203.0.113.1')!;
    const closes: number[] = [];
    socket.identity = { memberId: 'm1', sessionId: 's1', scopes: [], token: 'token' };
    socket.close = (code) => void closes.push(code);
    sockets.closeRevoked({ kind: 'session', memberId: 'm1', sessionId: 's1', at: new Date() });
    expect(closes).toEqual([SESSION_REFUSED]);
  });
});
