import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

/**
 * For testing one subgraph on its own: serves a JWKS over HTTP exactly as the member service does
 * and signs access tokens with the same claims (issuer, audience, scope, EdDSA). End-to-end tests
 * use the real member service instead.
 */
export class TestTokenIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    private readonly kid: string,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<TestTokenIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const kid = `test-${Date.now()}`;
    const jwks = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }],
    });
    const server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json')
        res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new TestTokenIssuer(server, privateKey, kid, `http://127.0.0.1:${port}/.well-known/jwks.json`);
  }

  /** An access token for `memberId`, as the member service would issue it (defaults: scope member, 15 min). */
  sign(memberId: string, options: { scopes?: string[]; expiresInSeconds?: number } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: (options.scopes ?? ['member']).join(' ') })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'at+jwt' })
      .setSubject(memberId)
      .setIssuer('gaji-market/member')
      .setAudience('gaji-market')
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 900))
      .sign(this.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
