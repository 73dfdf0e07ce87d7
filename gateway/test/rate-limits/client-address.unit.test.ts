import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddressResolver } from '../../src/rate-limits/client-address.js';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    const addressOf = clientAddressResolver([]);
    expect(addressOf(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('reads X-Forwarded-For back through trusted proxies only', () => {
    const addressOf = clientAddressResolver(['10.0.0.0/8']);
    expect(addressOf(request('10.1.2.3', '198.51.100.1'))).toBe('198.51.100.1');
    // A client prepending its own "forwarded" address gains nothing: the last untrusted hop counts.
    expect(addressOf(request('10.1.2.3', '1.2.3.4, 198.51.100.1'))).toBe('198.51.100.1');
    expect(addressOf(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey(undefined)).toBe('unknown');
  });
});
