import { describe, expect, it } from 'vitest';
import { baseConfigSchema } from '../src/config/config.js';
import { Lifecycle } from '../src/lifecycle/lifecycle.js';
import { createLogger } from '../src/logging/logger.js';

describe('a graceful shutdown', () => {
  it('fails readiness first, keeps everything running for the drain delay, then stops in reverse order', async () => {
    const lifecycle = new Lifecycle(createLogger('test', 'silent'));
    const events: string[] = [];
    lifecycle.onStop('database', () => void events.push('database closed'));
    lifecycle.onStop('http', () => void events.push(`http closed, serving=${String(!lifecycle.draining)}`));
    lifecycle.onDrain(() => events.push('drain'));
    expect(await lifecycle.serving()).toBe(true);

    const began = performance.now();
    const shutdown = lifecycle.shutdown(150);
    expect(await lifecycle.serving()).toBe(false);
    expect(events).toEqual(['drain']); // nothing stopped yet: requests are still answered
    await shutdown;
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
    expect(events).toEqual(['drain', 'http closed, serving=false', 'database closed']);
  });

  it('reads its timings from the configuration every service shares', () => {
    const config = baseConfigSchema.parse({ SHUTDOWN_DRAIN_DELAY_MS: '500', SHUTDOWN_TIMEOUT_MS: '9000' });
    expect([config.SHUTDOWN_DRAIN_DELAY_MS, config.SHUTDOWN_TIMEOUT_MS]).toEqual([500, 9000]);
    expect(baseConfigSchema.safeParse({ SHUTDOWN_TIMEOUT_MS: '0' }).success).toBe(false);
  });
});
