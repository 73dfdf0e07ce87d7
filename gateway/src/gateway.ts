import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import {
  authDirectivesPlugin,
  closeServer,
  collectAuthRequirements,
  createErrorFormatter,
  createLogger,
  createJwksTokenVerifier,
  identify,
  listen,
  mountHealth,
  type Logger,
  type RequestContext,
} from '@gaji/platform';
import express from 'express';
import { parse } from 'graphql';
import { ForwardingDataSource } from './auth/forwarding-data-source.js';
import { withSecurityFeaturesEnforcedByGateway } from './auth/security-features.js';
import { subgraphs, supergraphPath } from './composition/subgraph-registry.js';
import type { GatewayConfig } from './config.js';

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The single entry point. Plans queries over the composed supergraph (schema/supergraph.graphql,
 * composed at build time), verifies the caller's token against the member JWKS, enforces
 * @authenticated / @requiresScopes before any subgraph is called, and forwards the token.
 */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger('gateway', config.LOG_LEVEL)): Promise<RunningGateway> {
  const production = config.NODE_ENV === 'production';
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const subgraphUrls = new Map(subgraphs.map((subgraph) => [subgraph.name, config[subgraph.envUrl]]));

  const gateway = new ApolloGateway({
    supergraphSdl: withSecurityFeaturesEnforcedByGateway(supergraphSdl),
    buildService: ({ name, url }) => new ForwardingDataSource(subgraphUrls.get(name as never) ?? url ?? '', config.SUBGRAPH_TIMEOUT_MS),
  });
  const verifyToken = createJwksTokenVerifier(config);

  const apollo = new ApolloServer<RequestContext>({
    // @apollo/gateway 2.x implements the v1 gateway interface; Apollo Server 5 accepts it at runtime.
    gateway: gateway as never,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger, false),
    plugins: [
      authDirectivesPlugin(collectAuthRequirements(parse(supergraphSdl))),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  mountHealth(app, { supergraph: async () => true });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        identity: await identify(req.headers.authorization, verifyToken),
        correlationId: typeof req.headers['gaji-correlation-id'] === 'string' ? req.headers['gaji-correlation-id'] : undefined,
      }),
    }),
  );

  const server = createServer(app);
  const port = await listen(server, config.PORT, config.HOST);
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    stop: async () => {
      await closeServer(server);
      await apollo.stop();
    },
  };
}
