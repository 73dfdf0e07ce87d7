/**
 * Vitest setup file: our tests may reach loopback and nothing else. Every outbound TCP connection
 * and every DNS lookup made in a test worker is checked; one aimed anywhere else (telemetry, a cloud
 * metadata probe, a CDN) is refused on the spot and fails the test file that made it, naming the
 * destination. Loaded for every project in vitest.config.ts.
 */
import dns from 'node:dns';
import net from 'node:net';
import { afterAll } from 'vitest';

const attempts: string[] = [];
const guarded = Symbol.for('gaji.loopback-only');

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === '::1' || bare === '0.0.0.0' || bare === '::') return true;
  if (bare.startsWith('::ffff:')) return isLoopback(bare.slice('::ffff:'.length));
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

type Globals = typeof globalThis & { [guarded]?: true };

if (!(globalThis as Globals)[guarded]) {
  (globalThis as Globals)[guarded] = true;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const [first, second] = args;
    const options = typeof first === 'object' && first !== null ? (first as net.NetConnectOpts) : undefined;
    const host =
      options === undefined
        ? typeof second === 'string'
          ? second
          : undefined
        : 'path' in options
          ? undefined // a Unix socket is local by definition
          : options.host;
    if (!isLoopback(host)) {
      attempts.push(`TCP connection to ${host}`);
      process.nextTick(() => this.destroy(new Error(`loopback-only: refused a connection to ${host}`)));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const lookup = dns.lookup;
  (dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
    if (!isLoopback(hostname) && net.isIP(hostname) === 0) attempts.push(`DNS lookup of ${hostname}`);
    return (lookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  };
}

afterAll(() => {
  const seen = attempts.splice(0);
  if (seen.length > 0) {
    throw new Error(`This test file tried to reach beyond loopback:\n  ${[...new Set(seen)].join('\n  ')}`);
  }
});
