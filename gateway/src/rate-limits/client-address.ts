import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyAddr from 'proxy-addr';

export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The address a request came from, for per-address limits. The socket's peer, unless that peer is
 * one of `trustedProxies` (TRUSTED_PROXIES: addresses, CIDR ranges or `loopback` / `linklocal` /
 * `uniquelocal`), in which case X-Forwarded-For is read back through the trusted hops only — so a
 * client can never pick its own address by sending the header. IPv6 clients are counted per /64,
 * the block one subscriber usually holds; IPv4-mapped addresses count as IPv4.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trust = proxyAddr.compile([...trustedProxies]);
  return (req) => addressKey(proxyAddr(req, trust));
}

export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array.from({ length: missing }, () => '0'), ...right].map((group) =>
    group.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}
