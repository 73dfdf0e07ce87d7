import { randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testNatsUrl } from '@gaji/testkit';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import { createLimiterFactory } from '../../src/rate-limits/rate-limit-store.js';

describe('rate limits in a NATS JetStream key-value bucket (real NATS)', () => {
  const connections: NatsConnection[] = [];
  let bucket = '';
  afterEach(async () => {
    await new Kvm(connections[0]!)
      .open(bucket)
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await Promise.all(connections.splice(0).map((nc) => nc.close()));
  });

  /** Two "replicas": separate connections, one bucket. */
  async function twoReplicas() {
    bucket = `test_rl_${randomBytes(4).toString('hex')}`;
    const factories = [];
    for (let i = 0; i < 2; i++) {
      const nc = await connect({ servers: testNatsUrl });
      connections.push(nc);
      factories.push(await createLimiterFactory({ store: 'nats', bucket, nc }));
    }
    return factories;
  }

  it('two replicas consuming one key at once grant exactly the points, never more', async () => {
    const [a, b] = await twoReplicas();
    const limiters = [a!('signup', { points: 10, duration: 60 }), b!('signup', { points: 10, duration: 60 })];
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        limiters[i % 2]!.consume('198.51.100.7').then(
          () => 'granted',
          (refusal: unknown) => (refusal instanceof RateLimiterRes ? 'refused' : String(refusal)),
        ),
      ),
    );
    // Never more than the points; a request that loses every compare-and-set round is refused too.
    const granted = outcomes.filter((o) => o === 'granted').length;
    expect(granted).toBeLessThanOrEqual(10);
    expect(granted).toBeGreaterThanOrEqual(8);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(30 - granted);
  });

  it('a refusal says how long until the window ends; other keys are unaffected', async () => {
    const [a, b] = await twoReplicas();
    const limiter = a!('ops', { points: 2, duration: 30 });
    await limiter.consume('k');
    await b!('ops', { points: 2, duration: 30 }).consume('k');
    const refusal = (await limiter.consume('k').catch((r: unknown) => r)) as RateLimiterRes;
    expect(refusal).toBeInstanceOf(RateLimiterRes);
    expect(refusal.msBeforeNext).toBeGreaterThan(25_000);
    expect(refusal.msBeforeNext).toBeLessThanOrEqual(30_000);
    await expect(limiter.consume('other')).resolves.toBeInstanceOf(RateLimiterRes);
  });

  it('penalty, reward, block, get and delete act on the shared counter', async () => {
    const [a, b] = await twoReplicas();
    const onA = a!('failures', { points: 100, duration: 60 });
    const onB = b!('failures', { points: 100, duration: 60 });
    await onA.penalty('kim@example.com', 3);
    await onB.reward('kim@example.com', 1);
    expect((await onA.get('kim@example.com'))?.consumedPoints).toBe(2);
    await onB.block('kim@example.com', 5);
    const blocked = await onA.get('kim@example.com');
    expect(blocked?.consumedPoints).toBe(101);
    expect(blocked?.msBeforeNext).toBeLessThanOrEqual(5_000);
    expect(await onA.delete('kim@example.com')).toBe(true);
    expect(await onB.get('kim@example.com')).toBeNull();
    await expect(onB.penalty('kim@example.com')).resolves.toMatchObject({ consumedPoints: 1 });
  });
});
