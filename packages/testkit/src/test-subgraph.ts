import { createJwksTokenVerifier, RevocationList } from '@gaji/platform/auth';
import { startSubgraphServer, type RunningServer, type SubgraphServerOptions } from '@gaji/platform/graphql';
import { createLogger } from '@gaji/platform/logging';
import type { TestTokenIssuer } from './test-token-issuer.js';

/**
 * One subgraph's GraphQL server on a free loopback port, wired to test use cases, trusting the
 * tokens of `issuer` as the real one trusts the member service's (for `_entities` and resolver
 * tests that need no event platform).
 */
export function startTestSubgraph(options: {
  name: string;
  typeDefs: SubgraphServerOptions['typeDefs'];
  resolvers: SubgraphServerOptions['resolvers'];
  issuer: TestTokenIssuer;
}): Promise<RunningServer> {
  return startSubgraphServer({
    name: options.name,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger(options.name, 'silent'),
    typeDefs: options.typeDefs,
    resolvers: options.resolvers,
    verifyToken: createJwksTokenVerifier({
      JWT_ISSUER: 'gaji-market/member',
      JWT_AUDIENCE: 'gaji-market',
      MEMBER_JWKS_URL: options.issuer.jwksUrl,
      JWKS_COOLDOWN_MS: 0,
      ACCESS_TOKEN_MAX_LIFETIME_SECONDS: 900,
    }),
    // No event platform here, so nothing is ever revoked.
    revocations: new RevocationList(900_000),
    readiness: {},
    production: false,
  });
}
