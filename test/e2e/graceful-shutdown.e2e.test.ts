import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import {
  createTestDatabase,
  createTestStream,
  eventually,
  freePort,
  graphql,
  type TestDatabase,
  type TestStream,
} from '@gaji/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/live-client.js';
import { TestSystem } from '../support/test-system.js';

/** One readiness probe on a fresh connection, as a kubelet makes it: a status, or `refused`. */
const probe = (url: string) =>
  new Promise<number | 'refused'>((resolve) => {
    const request = get(url, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve('refused'));
  });

/** A child still running after a failed test is killed, and waited for: its connections go first. */
async function killed(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** One of our services as a real process, its output kept for the failure message. */
function startProcess(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/**
 * Readiness probed every 25 ms from the signal until the listener is gone; once it answers 503,
 * one operation is sent to show the service still serves while it drains.
 */
async function probeUntilClosed(base: string) {
  const probes: (number | 'refused')[] = [];
  let servedWhileDraining: number | undefined;
  for (;;) {
    const status = await probe(`${base}/health/ready`);
    probes.push(status);
    if (status === 503 && servedWhileDraining === undefined)
      servedWhileDraining = (await graphql(`${base}/graphql`, '{ __typename }')).status;
    if (status === 'refused') return { probes, servedWhileDraining };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('SIGTERM: a real member process drains and exits cleanly', () => {
  let child: ChildProcess | undefined;
  let database: TestDatabase | undefined;
  let stream: TestStream | undefined;
  afterAll(async () => {
    await killed(child);
    await database?.drop();
    await stream?.remove();
  });

  it('fails readiness before the listener closes, answers every request in flight, and exits 0', async () => {
    database = await createTestDatabase('shutdown_member');
    stream = createTestStream('shutdown');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const started = startProcess('subgraphs/member/src/main.ts', {
      // As deployed (the Kubernetes config sets it): Apollo Server installs signal handlers of
      // its own unless told not to, except under NODE_ENV=test — where this test once ran, and
      // missed that they made every production SIGTERM exit 1 with nothing drained.
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(port),
      MEMBER_DATABASE_URL: database.url,
      NATS_URL: stream.natsUrl,
      EVENT_STREAM: stream.stream,
      EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
      MEMBER_JWKS_URL: `${base}/.well-known/jwks.json`,
      // Full-cost password hashing (~50 ms of a worker thread each) keeps sign-ups in flight.
      PASSWORD_HASH_COST: '16384',
      SHUTDOWN_DRAIN_DELAY_MS: '600',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    child = started.child;
    await eventually(async () => expect(await probe(`${base}/health/ready`)).toBe(200), 60_000, 100);

    const answeredAt: number[] = [];
    const signUps = Array.from({ length: 12 }, (_, i) =>
      graphql<{ signUp: { member: { id: string } } }>(
        `${base}/graphql`,
        'mutation ($email: String!) { signUp(email: $email, password: "hunter22!", nickname: "Drained") { member { id } } }',
        { email: `${randomUUID()}-${i}@example.com` },
      ).finally(() => answeredAt.push(Date.now())),
    );
    await new Promise((resolve) => setTimeout(resolve, 40)); // sent and accepted, not yet answered
    const signalledAt = Date.now();
    child.kill('SIGTERM');

    const { probes, servedWhileDraining } = await probeUntilClosed(base);

    const answers = await Promise.all(signUps);
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    // Some were still in flight when the signal came, and were answered all the same.
    expect(answeredAt.filter((at) => at > signalledAt).length).toBeGreaterThan(0);
    expect(
      answers.every((answer) => answer.data?.signUp.member.id),
      JSON.stringify(answers[0]),
    ).toBe(true);
    // Readiness went to 503 and stayed there until the listener closed.
    const firstNotReady = probes.indexOf(503);
    expect(firstNotReady, probes.join(' ')).toBeGreaterThanOrEqual(0);
    expect(
      probes.slice(firstNotReady, -1).every((status) => status === 503),
      probes.join(' '),
    ).toBe(true);
    expect(probes.at(-1)).toBe('refused');
    expect(servedWhileDraining).toBe(200);
    expect(await started.exited, started.output()).toBe(0);
    expect(started.output()).toContain('draining');
  });
});

describe('a stopping gateway', () => {
  it('fails readiness while draining, still answers, and closes every graphql-ws socket with 1012 (service restart)', async () => {
    const system = await TestSystem.start('shutdown_ws');
    const gateway = await system.startGateway();
    const client = new LiveClient(gateway.url.replace(/^http/, 'ws'), undefined).subscribe(
      'subscription ($id: ID!) { productStatusChanged(productId: $id) { cursor change } }',
      { id: randomUUID() },
    );
    try {
      await eventually(async () => expect(gateway.live.subscribers()).toBe(1));
      const ready = gateway.url.replace(/\/graphql$/, '/health/ready');
      expect(await probe(ready)).toBe(200);
      gateway.drain();
      expect(await probe(ready)).toBe(503);
      expect((await graphql(gateway.url, '{ __typename }')).status).toBe(200);
      expect(client.closeCode).toBeUndefined();
      await gateway.stop();
      await eventually(async () => expect(client.closeCode).toBe(1012));
    } finally {
      await client.close();
      await system.stop();
    }
  });
});

describe('SIGTERM: a real gateway process, as deployed (NODE_ENV=production)', () => {
  let child: ChildProcess | undefined;
  let system: TestSystem | undefined;
  afterAll(async () => {
    await killed(child);
    await system?.stop();
  });

  it('drains — readiness 503 while operations are still answered, sockets closed with 1012 — and exits 0', async () => {
    system = await TestSystem.start('shutdown_gateway');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const started = startProcess(
      'gateway/src/main.ts',
      system.gatewayEnv({
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: String(port),
        SHUTDOWN_DRAIN_DELAY_MS: '600',
        SHUTDOWN_TIMEOUT_MS: '20000',
      }),
    );
    child = started.child;
    await eventually(async () => expect(await probe(`${base}/health/ready`)).toBe(200), 60_000, 100);
    const client = new LiveClient(`ws://127.0.0.1:${port}/graphql`, undefined).subscribe(
      'subscription ($id: ID!) { productStatusChanged(productId: $id) { cursor change } }',
      { id: randomUUID() },
    );
    try {
      await eventually(async () => expect(client.connected).toBe(true));
      child.kill('SIGTERM');

      const { probes, servedWhileDraining } = await probeUntilClosed(base);
      expect(probes, probes.join(' ')).toContain(503);
      expect(servedWhileDraining).toBe(200);
      expect(await started.exited, started.output()).toBe(0);
      expect(started.output()).toContain('draining');
      await eventually(async () => expect(client.closeCode).toBe(1012));
    } finally {
      await client.close();
    }
  });
});
