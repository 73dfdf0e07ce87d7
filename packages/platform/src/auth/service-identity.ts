import { createHash, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JSONWebKeySet,
} from 'jose';
import { z } from 'zod';

/**
 * Service identity for internal routes (purchase → payment, purchase → product): the calling
 * service signs a short-lived token per request with a private key only it holds; the called
 * service verifies it against the public keys it trusts. A member's access token is never accepted
 * there, so nothing a member sends can reach an internal route.
 *
 * The token is bound to its request (`req` = SHA-256 of method, path and body), lives 60 s, and
 * names the caller in `sub`; its key id is `<service>/<version>`, so a key can only speak for the
 * service it was issued to. No round trip to another service: internal calls keep working while
 * member is down.
 */
export const SERVICE_TOKEN_ALGORITHM = 'EdDSA';
const LIFETIME_SECONDS = 60;
const ISSUER_PREFIX = 'gaji-market/service/';

export class ServiceAuthenticationFailed extends Error {
  override name = 'ServiceAuthenticationFailed';
}

export interface ServiceRequest {
  method: string;
  /** The path with its query string, as the server sees it (`/internal/payments`). */
  path: string;
  body?: string | Buffer;
}

const privateJwk = z
  .object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), d: z.string(), x: z.string(), kid: z.string() })
  .passthrough();

/** `SERVICE_SIGNING_KEY`: the caller's private JWK (Ed25519) whose kid is `<service>/<version>`. */
export const serviceSigningKeySchema = z.string().transform((text, ctx) => {
  try {
    return privateJwk.parse(JSON.parse(text)) as JWK & { kid: string };
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a private Ed25519 JWK (JSON) with a kid' });
    return z.NEVER;
  }
});

/** `TRUSTED_SERVICE_KEYS`: a JWKS of the callers' public keys. Empty: every internal call is refused. */
export const trustedServiceKeysSchema = z
  .string()
  .default('{"keys":[]}')
  .transform((text, ctx) => {
    try {
      const set = JSON.parse(text) as JSONWebKeySet;
      if (!Array.isArray(set.keys) || set.keys.some((key) => typeof key.kid !== 'string' || 'd' in key))
        throw new Error();
      return set;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JWKS of public keys, each with a kid' });
      return z.NEVER;
    }
  });

const requestDigest = ({ method, path, body }: ServiceRequest) =>
  createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n`)
    .update(body ?? '')
    .digest('base64url');

const serviceOfKid = (kid: string) => kid.split('/')[0] ?? '';

/** Signs one request as `service` for `audience` (the called service's name). */
export function createServiceTokenSigner(signingKey: JWK & { kid: string }) {
  const service = serviceOfKid(signingKey.kid);
  const key = importJWK(signingKey, SERVICE_TOKEN_ALGORITHM);
  return async (audience: string, request: ServiceRequest): Promise<string> =>
    new SignJWT({ req: requestDigest(request) })
      .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, kid: signingKey.kid, typ: 'gaji-service+jwt' })
      .setIssuer(`${ISSUER_PREFIX}${service}`)
      .setSubject(service)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .setJti(randomUUID())
      .sign(await key);
}

export type ServiceTokenSigner = ReturnType<typeof createServiceTokenSigner>;

/**
 * Verifies a service token for `audience` and returns the calling service, which must be one of
 * `callers`. Refuses member tokens (wrong key, issuer and audience), tokens for another request, and
 * anything without exp / iat / sub / iss / aud or older than the lifetime.
 */
export function createServiceTokenVerifier(options: {
  audience: string;
  trusted: JSONWebKeySet;
  callers: readonly string[];
}) {
  const keys = createLocalJWKSet(options.trusted);
  return async (token: string, request: ServiceRequest): Promise<string> => {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        audience: options.audience,
        algorithms: [SERVICE_TOKEN_ALGORITHM],
        typ: 'gaji-service+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'iss', 'aud', 'jti'],
        maxTokenAge: `${LIFETIME_SECONDS}s`,
      });
      const service = payload.sub ?? '';
      if (serviceOfKid(protectedHeader.kid ?? '') !== service) throw new Error('key of another service');
      if (payload.iss !== `${ISSUER_PREFIX}${service}`) throw new Error('wrong issuer');
      if (!options.callers.includes(service)) throw new Error(`${service} may not call here`);
      if (payload.req !== requestDigest(request)) throw new Error('signed for another request');
      return service;
    } catch (error) {
      throw new ServiceAuthenticationFailed((error as Error).message);
    }
  };
}

export type ServiceTokenVerifier = ReturnType<typeof createServiceTokenVerifier>;

/** A fresh key pair for `service` (the start script and tests; production keeps keys in Secrets). */
export async function generateServiceKeyPair(
  service: string,
  version = new Date().toISOString().slice(0, 10),
): Promise<{ privateJwk: JWK & { kid: string }; publicJwk: JWK & { kid: string } }> {
  const { privateKey, publicKey } = await generateKeyPair(SERVICE_TOKEN_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const kid = `${service}/${version}`;
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SERVICE_TOKEN_ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: SERVICE_TOKEN_ALGORITHM },
  };
}

/**
 * Key material for the services that call internal routes: each caller's private JWK (its
 * `SERVICE_SIGNING_KEY`) and one JWKS of their public halves (every receiver's
 * `TRUSTED_SERVICE_KEYS`), as the environment strings the services read.
 */
export async function generateServiceKeys(
  callers: readonly string[],
): Promise<{ signingKeys: Record<string, string>; trustedKeys: string }> {
  const pairs = await Promise.all(callers.map((caller) => generateServiceKeyPair(caller)));
  return {
    signingKeys: Object.fromEntries(
      pairs.map((pair, i) => [callers[i] ?? '', JSON.stringify(pair.privateJwk)]),
    ),
    trustedKeys: JSON.stringify({ keys: pairs.map((pair) => pair.publicJwk) }),
  };
}
