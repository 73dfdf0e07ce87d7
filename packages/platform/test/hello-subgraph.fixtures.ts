import { parse } from 'graphql';
import { InvalidToken } from '../src/auth/access-token.js';
import { RevocationList } from '../src/auth/revocation-list.js';
import {
  startSubgraphServer,
  type RunningServer,
  type SubgraphServerOptions,
} from '../src/graphql/subgraph-server.js';
import { createLogger } from '../src/logging/logger.js';

/**
 * A real subgraph server on loopback answering `{ hello }`, refusing every token, as production
 * runs it: what the HTTP-edge tests (protocol refusals, client errors, refusal metrics) start.
 * `options` adds or replaces what a test needs (timeouts, metrics, a logger, extra routes).
 */
export function startHelloSubgraph(
  name: string,
  options: Partial<SubgraphServerOptions> = {},
): Promise<RunningServer> {
  return startSubgraphServer({
    name,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger(name, 'silent'),
    typeDefs: parse('type Query { hello: String }'),
    resolvers: { Query: { hello: () => 'hi' } } as never,
    verifyToken: () => Promise.reject(new InvalidToken('invalid')),
    revocations: new RevocationList(60_000),
    readiness: {},
    production: true,
    ...options,
  });
}
