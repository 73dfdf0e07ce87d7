import { describe, expect, it } from 'vitest';
import { restartDelay, type RestartPolicy } from '../../scripts/system/supervisor.js';

const policy: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 4_000, healthyAfterMs: 60_000 };

describe('restart policy', () => {
  it('the pause before a restart doubles with each crash in a row, up to its cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((crashes) => restartDelay(policy, crashes))).toEqual([
      500, 1_000, 2_000, 4_000, 4_000, 4_000,
    ]);
  });
});
