import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { KeysUnavailable, ResilientJwks } from '../src/auth/resilient-jwks.js';

/** A real JWKS endpoint on loopback that can be made to fail. */
async function jwksServer(keys: JWK[]) {
  const state = { failing: false, requests: 0 };
  const server: Server = createServer((_req, res) => {
    state.requests += 1;
    if (state.failing) {
      res.writeHead(500).end('database down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { state, server, url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`) };
}

async function aKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } };
}

const sign = (key: Awaited<ReturnType<typeof aKey>>) =>
  new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject('m').sign(key.privateKey);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('resilient JWKS (real HTTP on loopback)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

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
});
