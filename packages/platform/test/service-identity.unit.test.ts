import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceKeys,
  ServiceAuthenticationFailed,
} from '../src/auth/service-identity.js';

const request = { method: 'POST', path: '/internal/payments', body: '{"purchaseId":"p-1"}' };

async function setUp() {
  const keys = await generateServiceKeys(['purchase', 'product']);
  const privateJwk = (service: string) => JSON.parse(keys.signingKeys[service] ?? '{}');
  const verify = createServiceTokenVerifier({
    audience: 'payment',
    trusted: JSON.parse(keys.trustedKeys),
    callers: ['purchase'],
  });
  return { privateJwk, verify, sign: createServiceTokenSigner(privateJwk('purchase')) };
}

describe('service identity', () => {
  it('a token purchase signed for a request proves purchase for exactly that request', async () => {
    const { sign, verify } = await setUp();
    expect(await verify(await sign('payment', request), request)).toBe('purchase');
    await expect(verify(await sign('payment', request), { ...request, body: '{}' })).rejects.toThrow(
      ServiceAuthenticationFailed,
    );
    await expect(verify(await sign('payment', request), { ...request, method: 'GET' })).rejects.toThrow(
      ServiceAuthenticationFailed,
    );
  });

  it('refuses a token for another audience, or from a trusted service that may not call here', async () => {
    const { sign, verify, privateJwk } = await setUp();
    await expect(verify(await sign('product', request), request)).rejects.toThrow(/"aud"/);
    const asProduct = createServiceTokenSigner(privateJwk('product'));
    await expect(verify(await asProduct('payment', request), request)).rejects.toThrow(/may not call/);
  });

  it('refuses a key that speaks for another service than its own, and tokens missing exp or older than 60 s', async () => {
    const { verify, privateJwk } = await setUp();
    const productKey = privateJwk('product');
    const key = await importJWK(productKey, 'EdDSA');
    const forge = (claims: { sub: string; iatOffset?: number; exp?: boolean }) => {
      const jwt = new SignJWT({ req: 'x' })
        .setProtectedHeader({ alg: 'EdDSA', kid: productKey.kid, typ: 'gaji-service+jwt' })
        .setIssuer(`gaji-market/service/${claims.sub}`)
        .setSubject(claims.sub)
        .setAudience('payment')
        .setJti('j')
        .setIssuedAt(Math.floor(Date.now() / 1000) + (claims.iatOffset ?? 0));
      if (claims.exp !== false) jwt.setExpirationTime('1h');
      return jwt.sign(key);
    };
    await expect(verify(await forge({ sub: 'purchase' }), request)).rejects.toThrow(/another service/);
    await expect(verify(await forge({ sub: 'product', exp: false }), request)).rejects.toThrow(/exp/);
    await expect(verify(await forge({ sub: 'product', iatOffset: -120 }), request)).rejects.toThrow(
      ServiceAuthenticationFailed,
    );
  });
});
