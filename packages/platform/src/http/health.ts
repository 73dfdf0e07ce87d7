import type { Express } from 'express';
import { within } from '../lifecycle/within.js';

/** Named readiness checks; each resolves true when its dependency is usable. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

/** How long a readiness check may take before it counts as failed (a hung dependency is not ready). */
const CHECK_DEADLINE_MS = 2_000;

/**
 * `/health/live`: the process answers (a liveness probe restarts it otherwise).
 * `/health/ready`: every dependency answers, so traffic may be sent here (503 with details if not).
 */
export function mountHealth(app: Express, checks: ReadinessChecks): void {
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(checks).map(
          async ([name, check]) =>
            [name, await within(check(), CHECK_DEADLINE_MS, false).catch(() => false)] as const,
        ),
      ),
    );
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
}
