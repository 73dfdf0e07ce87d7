import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { mountHealth, type ReadinessChecks } from '../src/http/health.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function readiness(checks: ReadinessChecks): Promise<Response> {
  const app = express();
  mountHealth(app, checks);
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`);
}

describe('GET /health/ready', () => {
  it('answers 200 when every dependency answers', async () => {
    const response = await readiness({ database: async () => true, nats: async () => true });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: true, nats: true } });
  });

  it('counts a check that throws, or one that hangs for 2 s, as not ready', async () => {
    const began = performance.now();
    const response = await readiness({
      database: async () => true,
      nats: () => new Promise<boolean>(() => undefined),
      serving: async () => {
        throw new Error('refused');
      },
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not ready',
      checks: { database: true, nats: false, serving: false },
    });
    expect(performance.now() - began).toBeGreaterThanOrEqual(1_900);
  });
});
