import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConnectionWatch } from '@gaji/platform/events';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterNatsKv } from './nats-kv-rate-limiter.js';

/** Makes one named counter: `points` per `duration` seconds for each key. */
export type LimiterFactory = (
  name: string,
  options: { points: number; duration: number },
) => RateLimiterAbstract;

/** Keys outlive no window longer than this; the bucket drops anything older on its own. */
const LONGEST_WINDOW_SECONDS = 24 * 3600;

/**
 * Where counters live. `memory`: in this process — exact for a single gateway. `nats`: in a NATS
 * JetStream key-value bucket that every replica shares, so a limit holds however requests are
 * spread over replicas; should NATS be unreachable, each replica falls back to counting in memory
 * (an insurance limiter) rather than refusing everyone or letting everything through.
 */
export async function createLimiterFactory(options: {
  store: 'memory' | 'nats';
  bucket: string;
  nc: NatsConnection;
}): Promise<LimiterFactory> {
  const check = (name: string, duration: number) => {
    if (duration > LONGEST_WINDOW_SECONDS) throw new Error(`${name}: a window longer than a day`);
  };
  if (options.store === 'memory') {
    return (name, { points, duration }) => {
      check(name, duration);
      return new RateLimiterMemory({ keyPrefix: name, points, duration });
    };
  }
  const kv = await new Kvm(options.nc).create(options.bucket, {
    history: 1,
    ttl: LONGEST_WINDOW_SECONDS * 1000,
  });
  const connection = new ConnectionWatch(options.nc);
  return (name, { points, duration }) => {
    check(name, duration);
    return new RateLimiterNatsKv(
      kv,
      {
        keyPrefix: name,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
      },
      () => connection.connected,
    );
  };
}
