import { describe, expect, it } from 'vitest';
import { STEADY_CONNECTION_MS, TokenRenewals } from '../src/graphql/token-renewals';

describe('how the web client reconnects once the refresh cookie has renewed a token the gateway closed on', () => {
  const given = () => {
    let now = 0;
    const renewals = new TokenRenewals(() => now);
    return { renewals, wait: (ms: number) => void (now += ms) };
  };

  it('a token expiring on an open socket reconnects at once, every time', () => {
    const { renewals, wait } = given();
    for (let i = 0; i < 5; i++) {
      renewals.connected();
      wait(15 * 60_000);
      expect(renewals.renewed('expired')).toBe('reconnect-at-once');
    }
  });

  it('a gateway that accepts the socket and then refuses the session gets one reconnection at once, one with backoff, and then the session ends', () => {
    const { renewals, wait } = given();
    const outcomes = [1, 2, 3].map(() => {
      renewals.connected();
      wait(50);
      return renewals.renewed('refused');
    });
    expect(outcomes).toEqual(['reconnect-at-once', 'back-off', 'end-session']);
  });

  it('refusals apart, each after a steady connection, are not in a row', () => {
    const { renewals, wait } = given();
    for (let i = 0; i < 5; i++) {
      renewals.connected();
      wait(STEADY_CONNECTION_MS);
      expect(renewals.renewed('refused')).toBe('reconnect-at-once');
    }
  });

  it('a gateway that refuses a renewed token at connection_init, never acknowledging the socket, is backed off from and never ends the session', () => {
    const { renewals } = given();
    const outcomes = [1, 2, 3, 4, 5].map(() => renewals.renewed('refused'));
    expect(outcomes).toEqual(['reconnect-at-once', 'back-off', 'back-off', 'back-off', 'back-off']);
  });

  it('a refusal at connection_init after a socket that was acknowledged and then lost is not counted as a refusal after acknowledgement', () => {
    const { renewals, wait } = given();
    // Each time the socket is acknowledged, drops (1006), and its reconnection is refused at connection_init.
    const outcomes = [1, 2, 3].map(() => {
      renewals.connected();
      wait(50);
      renewals.connecting();
      return renewals.renewed('refused');
    });
    expect(outcomes).toEqual(['reconnect-at-once', 'back-off', 'back-off']);
  });

  it('a token refused at connection_init soon after a renewal is retried as it is, with backoff, not renewed again until a steady interval has passed', () => {
    const { renewals, wait } = given();
    expect(renewals.mayRenew()).toBe(true);
    renewals.connecting();
    renewals.renewed('refused');
    renewals.connecting(); // refused again at connection_init
    expect(renewals.mayRenew()).toBe(false);
    wait(STEADY_CONNECTION_MS - 1);
    expect(renewals.mayRenew()).toBe(false);
    wait(1);
    expect(renewals.mayRenew()).toBe(true);
  });

  it('a socket acknowledged since the last renewal may be renewed at once when it is closed on its token', () => {
    const { renewals, wait } = given();
    renewals.renewed('refused');
    renewals.connected();
    wait(50);
    expect(renewals.mayRenew()).toBe(true);
  });

  it('expiries do not count toward ending the session: 4401, 4401 and then one 4403, each after acknowledgement, only back off', () => {
    const { renewals, wait } = given();
    const outcomes = (['expired', 'expired', 'refused'] as const).map((after) => {
      renewals.connected();
      wait(50);
      return renewals.renewed(after);
    });
    expect(outcomes).toEqual(['reconnect-at-once', 'back-off', 'back-off']);
  });

  it('the third 4403 after acknowledgement among closes in a row ends the session, whatever closes on the token came between', () => {
    const { renewals, wait } = given();
    const outcomes = (['refused', 'expired', 'refused', 'refused'] as const).map((after) => {
      renewals.connecting();
      renewals.connected();
      wait(50);
      return renewals.renewed(after);
    });
    expect(outcomes).toEqual(['reconnect-at-once', 'back-off', 'back-off', 'end-session']);
  });

  it('a fresh token refused as expired again and again backs off and never ends the session', () => {
    const { renewals } = given();
    expect(renewals.renewed('expired')).toBe('reconnect-at-once');
    for (let i = 0; i < 5; i++) expect(renewals.renewed('expired')).toBe('back-off');
  });
});
