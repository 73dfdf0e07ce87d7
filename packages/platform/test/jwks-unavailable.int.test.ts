import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { GraphQLError } from 'graphql';
import { eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwksTokenVerifier, KeysUnavailable } from '../src/auth/index.js';
import { identify } from '../src/graphql/index.js';

const ISSUER = 'https://member.test';
const AUDIENCE = 'gaji-test';

/** A loopback port nothing listens on (taken, then released), where member's JWKS will appear later. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function signingKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } };
}

const accessToken = (key: Awaited<ReturnType<typeof signingKey>>) =>
  new SignJWT({ scope: 'member' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid })
    .setSubject('member-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);

const verifierAt = (port: number) =>
  createJwksTokenVerifier({
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    MEMBER_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    JWKS_COOLDOWN_MS: 0,
    ACCESS_TOKEN_MAX_LIFETIME_SECONDS: 900,
  });

describe('member JWKS not loaded (real HTTP on loopback)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('a valid token is answered "keys unavailable" (503, retry), not "invalid", and verifies once member answers', async () => {
    const key = await signingKey('k1');
    const port = await closedPort();
    const verify = verifierAt(port);
    const token = await accessToken(key);

    await expect(verify(token)).rejects.toBeInstanceOf(KeysUnavailable);
    const refusal = await identify(`Bearer ${token}`, verify).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GraphQLError);
    const { extensions } = refusal as GraphQLError;
    expect(extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(extensions.http).toMatchObject({ status: 503 });

    // Member comes back on the same address: the same verifier accepts the same token, no restart —
    // once the back-off after the failed load has passed (at most 5 s while no keys ever loaded).
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] })),
    );
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    await eventually(
      () => expect(verify(token)).resolves.toMatchObject({ memberId: 'member-1' }),
      8_000,
      100,
    );
  });

  it('a token signed by a key member never published is still invalid once the keys are loaded', async () => {
    const [key, forged] = await Promise.all([signingKey('k1'), signingKey('k1')]);
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] })),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const verify = verifierAt((server.address() as AddressInfo).port);

    const refusal = await identify(`Bearer ${await accessToken(forged)}`, verify).catch(
      (error: unknown) => error,
    );
    expect((refusal as GraphQLError).extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'invalid',
    });
  });
});
