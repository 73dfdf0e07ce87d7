import { createServer, type RequestListener, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, jwtVerify, type JWK } from 'jose';
import { eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeysUnavailable, ResilientJwks } from '../src/auth/resilient-jwks.js';

/** An HTTP server on a free loopback port, and the JWKS address on it. */
async function onLoopback(handle: RequestListener): Promise<{ server: Server; url: URL }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`) };
}

/** A real JWKS endpoint on loopback that can be made to fail. */
async function jwksServer(keys: JWK[]) {
  const state = { failing: false, requests: 0 };
  const endpoint = await onLoopback((_req, res) => {
    state.requests += 1;
    if (state.failing) {
      // Counted on arrival, answered a moment later, as a struggling member would: a load is then
      // still in flight when the request count says it was made.
      setTimeout(() => res.writeHead(500).end('database down'), 100);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  return { state, ...endpoint };
}

async function aKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } };
}

const sign = (key: Awaited<ReturnType<typeof aKey>>) =>
  new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject('m').sign(key.privateKey);

/** A JWKS endpoint behind a blackhole: it accepts connections and reads requests, and never answers. */
async function silentServer() {
  const state = { requests: 0 };
  const endpoint = await onLoopback(() => {
    state.requests += 1;
  });
  return { state, ...endpoint };
}

/** What one verification ends in, and how long it took. */
async function timed(verification: Promise<unknown>): Promise<{ outcome: unknown; ms: number }> {
  const started = performance.now();
  const outcome = await verification.catch((error: unknown) => error);
  return { outcome, ms: performance.now() - started };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `check` retried every 20 ms for 2 s, counting its tries: `eventually` reads the clock a test may fake. */
async function polled(check: () => Promise<unknown> | unknown): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      await check();
      return;
    } catch (error) {
      if (tries >= 100) throw error;
      await pause(20);
    }
  }
}

describe('resilient JWKS (real HTTP on loopback)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('once loaded, keys older than their max age keep verifying while the endpoint fails, and refreshes back off', async () => {
    const key = await aKey('k1');
    const jwks = await jwksServer([key.jwk]);
    server = jwks.server;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 50, cooldownMs: 0 });
    await jwtVerify(await sign(key), keys.getKey);

    jwks.state.failing = true;
    await pause(100);
    const before = jwks.state.requests;
    for (let i = 0; i < 5; i++) await jwtVerify(await sign(key), keys.getKey);
    await pause(50);

    // One failed refresh, then a 1 s back-off: not one fetch per request.
    expect(jwks.state.requests - before).toBe(1);
  });

  it('a key the cached set does not know (a rotation) is fetched, and refused if the endpoint does not know it either', async () => {
    const [k1, k2, forged] = await Promise.all([aKey('k1'), aKey('k2'), aKey('k3')]);
    const served = [k1.jwk];
    const jwks = await jwksServer(served);
    server = jwks.server;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 60_000, cooldownMs: 0 });
    await jwtVerify(await sign(k1), keys.getKey);

    served.push(k2.jwk);
    await expect(jwtVerify(await sign(k2), keys.getKey)).resolves.toBeDefined();
    await expect(jwtVerify(await sign(forged), keys.getKey)).rejects.toThrow();
  });

  it('with no keys ever loaded, a failing endpoint fails verification', async () => {
    const key = await aKey('k1');
    const jwks = await jwksServer([key.jwk]);
    server = jwks.server;
    jwks.state.failing = true;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 60_000, cooldownMs: 0 });

    // Not a verdict on the token (callers answer SERVICE_UNAVAILABLE): member's keys could not be had.
    const refusal = await jwtVerify(await sign(key), keys.getKey).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(KeysUnavailable);
    expect((refusal as KeysUnavailable).cause).toEqual(new Error('JWKS answered 500'));
  });

  it('a kid the cached set does not know while the endpoint fails is "keys unavailable" (maybe a rotation), known kids still verify', async () => {
    const [k1, rotated] = await Promise.all([aKey('k1'), aKey('k2')]);
    const jwks = await jwksServer([k1.jwk]);
    server = jwks.server;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 60_000, cooldownMs: 0 });
    await jwtVerify(await sign(k1), keys.getKey);

    jwks.state.failing = true;
    await expect(jwtVerify(await sign(rotated), keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
    await expect(jwtVerify(await sign(k1), keys.getKey)).resolves.toBeDefined();
  });

  it('with no keys and member silent (a blackhole): one load for concurrent requests, then 503 at once until the back-off passes — not a timeout per request', async () => {
    const key = await aKey('k1');
    const silent = await silentServer();
    server = silent.server;
    const keys = new ResilientJwks({
      url: silent.url,
      maxAgeMs: 60_000,
      cooldownMs: 0,
      timeoutMs: 300,
      maxRetryDelayMs: 1_000,
    });
    const token = await sign(key);

    // The first load is waited for, by every request that arrives meanwhile: one fetch, one timeout.
    const first = await Promise.all(Array.from({ length: 5 }, () => timed(jwtVerify(token, keys.getKey))));
    for (const { outcome, ms } of first) {
      expect(outcome).toBeInstanceOf(KeysUnavailable);
      expect(ms).toBeGreaterThanOrEqual(250);
    }
    expect(silent.state.requests).toBe(1);

    // Within the back-off (1 s after one failure): refused at once, nothing fetched.
    for (let i = 0; i < 5; i++) {
      const { outcome, ms } = await timed(jwtVerify(token, keys.getKey));
      expect(outcome).toBeInstanceOf(KeysUnavailable);
      expect(ms).toBeLessThan(100);
    }
    expect(silent.state.requests).toBe(1);

    // Once it has passed, member is asked again — in the background: the request is not held.
    await pause(1_100);
    const again = await timed(jwtVerify(token, keys.getKey));
    expect(again.outcome).toBeInstanceOf(KeysUnavailable);
    expect(again.ms).toBeLessThan(100);
    // Nor is any request while that load waits on member.
    const meanwhile = await timed(jwtVerify(token, keys.getKey));
    expect(meanwhile.outcome).toBeInstanceOf(KeysUnavailable);
    expect(meanwhile.ms).toBeLessThan(100);
    await pause(50);
    expect(silent.state.requests).toBe(2);
  });

  it('with no keys, a token verifies once member answers again and the back-off has passed', async () => {
    const key = await aKey('k1');
    const jwks = await jwksServer([key.jwk]);
    server = jwks.server;
    jwks.state.failing = true;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 60_000, cooldownMs: 0, maxRetryDelayMs: 300 });
    const token = await sign(key);
    await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);

    jwks.state.failing = false;
    // Still within the back-off: refused at once, member not asked.
    await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
    expect(jwks.state.requests).toBe(1);
    await eventually(() => expect(jwtVerify(token, keys.getKey)).resolves.toBeDefined(), 2_000);
  });

  it('with no keys, the wait between loads stops growing at 5 s (not the 60 s of a refresh), so a long outage does not delay the tokens after it', async () => {
    const key = await aKey('k1');
    const jwks = await jwksServer([key.jwk]);
    server = jwks.server;
    jwks.state.failing = true;
    const keys = new ResilientJwks({ url: jwks.url, maxAgeMs: 60_000, cooldownMs: 0 });
    const token = await sign(key);
    // Only the clock the back-off reads is moved; member is asked over real HTTP.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
      // Eight failed loads, each started once the wait before it had passed: 1, 2, 4, then 5 s.
      for (let load = 2; load <= 8; load++) {
        vi.advanceTimersByTime(5_000);
        await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
        await polled(() => expect(jwks.state.requests).toBe(load));
        // Its failure sets the next back-off from the clock when it ends: before the clock moves on.
        await keys.settled();
      }
      jwks.state.failing = false;
      vi.advanceTimersByTime(4_900);
      await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
      expect(jwks.state.requests).toBe(8);
      vi.advanceTimersByTime(100);
      await expect(jwtVerify(token, keys.getKey)).rejects.toBeInstanceOf(KeysUnavailable);
      await polled(() => expect(jwtVerify(token, keys.getKey)).resolves.toBeDefined());
      expect(jwks.state.requests).toBe(9);
    } finally {
      vi.useRealTimers();
    }
  });
});
