import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceTokenSigner, SERVICE_TOKEN_ALGORITHM } from '@gaji/platform/auth';
import { bearer, graphql } from '@gaji/testkit';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with exactly this header and these claims, signed by `key` with `alg` (or unsigned). */
async function jwt(
  header: Record<string, unknown>,
  claims: JWTPayload,
  key?: CryptoKey | Uint8Array,
): Promise<string> {
  if (!key) return `${b64(header)}.${b64(claims)}.`;
  return new SignJWT(claims).setProtectedHeader(header as never).sign(key);
}

/**
 * The forged-token matrix of issue 8, against every service that verifies member access tokens
 * (the gateway and each subgraph, called directly around it) and against payment's internal route,
 * which answers only to the purchase service. A correctly signed control token must pass each
 * time, so every refusal below is a refusal of the forgery and not of the request.
 */
describe('forged tokens (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let attackerJwks: Server;
  let attackerJwksUrl: string;
  let member: Shopper;
  let realKid: string;
  let realKey: CryptoKey;
  let realPublicJwk: JWK;
  const attacker = generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });

  beforeAll(async () => {
    system = await TestSystem.start('forged');
    member = await Shopper.signUp(system.gatewayUrl, 'Target');
    const client = new pg.Client({ connectionString: system.databases.member.url });
    await client.connect();
    const { rows } = await client.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
      'SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE retired_at IS NULL',
    );
    await client.end();
    realKid = rows[0]!.kid;
    realPublicJwk = rows[0]!.public_jwk;
    realKey = (await importJWK(rows[0]!.private_jwk, 'EdDSA')) as CryptoKey;
    const attackerPublic = {
      ...(await exportJWK((await attacker).publicKey)),
      kid: 'attacker',
      alg: 'EdDSA',
    };
    attackerJwks = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [attackerPublic] })),
    );
    await new Promise<void>((resolve) => attackerJwks.listen(0, '127.0.0.1', resolve));
    attackerJwksUrl = `http://127.0.0.1:${(attackerJwks.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => attackerJwks?.close(resolve));
    await system?.stop();
  });

  /** The claims the member service puts in an access token, for `member`. */
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: member.id,
    iss: 'gaji-market/member',
    aud: 'gaji-market',
    scope: 'member',
    iat: now(),
    exp: now() + 600,
    sid: randomUUID(),
    ...overrides,
  });
  const without = (claim: string): JWTPayload => {
    const { [claim]: _dropped, ...rest } = claims();
    return rest;
  };
  const realHeader = () => ({ alg: 'EdDSA', kid: realKid, typ: 'at+jwt' });

  async function forgeries(): Promise<Record<string, string>> {
    const { privateKey: foreignKey, publicKey: foreignPublic } = await attacker;
    const foreignJwk = await exportJWK(foreignPublic);
    const publicKeyBytes = Buffer.from(realPublicJwk.x!, 'base64url');
    return {
      'alg none': await jwt({ alg: 'none', typ: 'at+jwt' }, claims()),
      'alg none, kid of the real key': await jwt({ alg: 'none', kid: realKid, typ: 'at+jwt' }, claims()),
      'HS256 keyed with the public key bytes': await jwt(
        { alg: 'HS256', kid: realKid, typ: 'at+jwt' },
        claims(),
        publicKeyBytes,
      ),
      'HS256 keyed with the public JWK': await jwt(
        { alg: 'HS256', kid: realKid, typ: 'at+jwt' },
        claims(),
        new TextEncoder().encode(JSON.stringify(realPublicJwk)),
      ),
      'foreign key, no kid': await jwt({ alg: 'EdDSA', typ: 'at+jwt' }, claims(), foreignKey),
      'foreign key, the real kid': await jwt(realHeader(), claims(), foreignKey),
      'foreign key named by jku': await jwt(
        { ...realHeader(), kid: 'attacker', jku: attackerJwksUrl },
        claims(),
        foreignKey,
      ),
      'foreign key named by x5u': await jwt(
        { ...realHeader(), x5u: `${attackerJwksUrl}.pem` },
        claims(),
        foreignKey,
      ),
      'foreign key embedded as jwk': await jwt(
        { alg: 'EdDSA', typ: 'at+jwt', jwk: foreignJwk },
        claims(),
        foreignKey,
      ),
      'foreign key embedded as jwk with the real kid': await jwt(
        { ...realHeader(), jwk: foreignJwk },
        claims(),
        foreignKey,
      ),
      expired: await jwt(realHeader(), claims({ iat: now() - 1_000, exp: now() - 100 }), realKey),
      'older than the maximum lifetime': await jwt(
        realHeader(),
        claims({ iat: now() - 1_000, exp: now() + 100 }),
        realKey,
      ),
      'minted to outlive the maximum lifetime': await jwt(
        realHeader(),
        claims({ exp: now() + 7_200 }),
        realKey,
      ),
      'without exp': await jwt(realHeader(), without('exp'), realKey),
      'without iat': await jwt(realHeader(), without('iat'), realKey),
      'without sub': await jwt(realHeader(), without('sub'), realKey),
      'without iss': await jwt(realHeader(), without('iss'), realKey),
      'without aud': await jwt(realHeader(), without('aud'), realKey),
      'another issuer': await jwt(realHeader(), claims({ iss: 'someone-else' }), realKey),
      'another audience': await jwt(realHeader(), claims({ aud: 'another-app' }), realKey),
      'not an access token (typ JWT)': await jwt({ ...realHeader(), typ: 'JWT' }, claims(), realKey),
      'tampered payload': (await jwt(realHeader(), claims(), realKey)).replace(
        /\.[^.]+\./,
        `.${b64(claims({ sub: randomUUID() }))}.`,
      ),
      garbage: 'not.a.token',
    };
  }

  it('every service refuses every forged member token with UNAUTHENTICATED, and accepts the real thing', async () => {
    const services = {
      gateway: system.gatewayUrl,
      member: system.member.url,
      product: system.product!.url,
      purchase: system.purchase.url,
      payment: system.payment.url,
      mypage: system.mypage.url,
    };
    const control = await jwt(realHeader(), claims(), realKey);
    const accepted: string[] = [];
    for (const [service, url] of Object.entries(services)) {
      const ok = await graphql(url, '{ __typename }', {}, bearer(control));
      expect(ok.errors, `${service} refused the control token`).toBeUndefined();
      for (const [forgery, token] of Object.entries(await forgeries())) {
        const answer = await graphql(url, '{ __typename }', {}, bearer(token));
        if (answer.status !== 401 || answer.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED')
          accepted.push(
            `${service}: ${forgery} → ${answer.status} ${JSON.stringify(answer.errors ?? answer.data)}`,
          );
      }
    }
    expect(accepted).toEqual([]);
    const meWithControl = await graphql<{ me: { id: string } }>(
      system.gatewayUrl,
      '{ me { id } }',
      {},
      bearer(control),
    );
    expect(meWithControl.data?.me.id).toBe(member.id);
  });

  describe('payment’s internal route (attack 2: a member faking a payment)', () => {
    async function call(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown) {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const response = await fetch(`${system.payment.internalUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'gaji-correlation-id': randomUUID(),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(text === undefined ? {} : { body: text }),
      });
      return {
        status: response.status,
        body: (await response.json().catch(() => null)) as { code?: string } | null,
      };
    }

    it('refuses a member’s own access token: no payment, and the product stays on sale', async () => {
      const victim = await Shopper.signUp(system.gatewayUrl, 'Victim');
      const productId = await victim.register({ priceKrw: 50_000 });
      const forged = {
        purchaseId: randomUUID(),
        productId,
        buyerId: member.id,
        sellerId: member.id,
        amountKrw: 1,
      };
      const answer = await call('POST', '/internal/payments', member.token, forged);
      expect(answer).toEqual({
        status: 401,
        body: expect.objectContaining({ code: 'SERVICE_UNAUTHENTICATED' }),
      });
      expect((await call('GET', `/internal/payments/${forged.purchaseId}`, member.token)).status).toBe(401);
      // Nor may a member refund (someone's) payment: only purchase, once a cancel is committed.
      const refund = await call('POST', `/internal/payments/${forged.purchaseId}/refund`, member.token);
      expect(refund.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 500)); // what a forged payment's events would take
      expect(await victim.productStatus(productId)).toBe('ON_SALE');
    });

    it('refuses every forged service token, and answers the purchase service’s real one', async () => {
      const purchaseJwk = JSON.parse(system.serviceKeys.signingKeys.purchase!) as JWK & { kid: string };
      const purchaseKey = (await importJWK(purchaseJwk, SERVICE_TOKEN_ALGORITHM)) as CryptoKey;
      const { privateKey: foreignKey, publicKey: foreignPublic } = await attacker;
      const purchaseId = randomUUID();
      const path = `/internal/payments/${purchaseId}`;
      const signReal = createServiceTokenSigner(purchaseJwk);
      const digest = (await import('node:crypto'))
        .createHash('sha256')
        .update(`GET ${path}\n`)
        .digest('base64url');
      const header = { alg: 'EdDSA', kid: purchaseJwk.kid, typ: 'gaji-service+jwt' };
      const service = (overrides: JWTPayload = {}): JWTPayload => ({
        iss: 'gaji-market/service/purchase',
        sub: 'purchase',
        aud: 'payment',
        iat: now(),
        exp: now() + 60,
        jti: randomUUID(),
        req: digest,
        ...overrides,
      });
      const serviceWithout = (claim: string) => {
        const { [claim]: _dropped, ...rest } = service();
        return rest;
      };
      const forged: Record<string, string> = {
        'a member access token': member.token,
        'alg none': await jwt({ ...header, alg: 'none' }, service()),
        'HS256 keyed with purchase’s public key': await jwt(
          { ...header, alg: 'HS256' },
          service(),
          Buffer.from(purchaseJwk.x!, 'base64url'),
        ),
        'foreign key, purchase’s kid': await jwt(header, service(), foreignKey),
        'foreign key embedded as jwk': await jwt(
          { ...header, jwk: await exportJWK(foreignPublic) },
          service(),
          foreignKey,
        ),
        'foreign key named by jku': await jwt({ ...header, jku: attackerJwksUrl }, service(), foreignKey),
        expired: await jwt(header, service({ iat: now() - 200, exp: now() - 100 }), purchaseKey),
        'signed for another request': await jwt(header, service({ req: 'another-request' }), purchaseKey),
        'for another audience': await jwt(header, service({ aud: 'product' }), purchaseKey),
        ...Object.fromEntries(
          await Promise.all(
            ['exp', 'iat', 'sub', 'iss', 'aud', 'jti'].map(
              async (claim) =>
                [`without ${claim}`, await jwt(header, serviceWithout(claim), purchaseKey)] as const,
            ),
          ),
        ),
      };
      const accepted: string[] = [];
      for (const [forgery, token] of Object.entries(forged)) {
        const answer = await call('GET', path, token);
        if (answer.status !== 401 || answer.body?.code !== 'SERVICE_UNAUTHENTICATED')
          accepted.push(`${forgery} → ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      expect(accepted).toEqual([]);
      const real = await call('GET', path, await signReal('payment', { method: 'GET', path }));
      expect(real).toEqual({ status: 404, body: expect.objectContaining({ code: 'PAYMENT_NOT_FOUND' }) });
    });

    it('answers bad path parameters with 400 or 401, never 500', async () => {
      const signReal = createServiceTokenSigner(JSON.parse(system.serviceKeys.signingKeys.purchase!));
      for (const path of [
        '/internal/payments/%00',
        '/internal/payments/%ZZ',
        '/internal/payments/%E0%A4%A',
        '/internal/payments/a%20b',
      ]) {
        const anonymous = await call('GET', path, undefined);
        expect(anonymous.status, path).toBeLessThan(500);
        const signed = await call('GET', path, await signReal('payment', { method: 'GET', path }));
        expect([400, 401], path).toContain(signed.status);
      }
    });
  });
});
