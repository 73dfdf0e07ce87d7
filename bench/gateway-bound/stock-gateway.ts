/**
 * The baseline: a stock @apollo/server 5 + @apollo/gateway, nothing of ours, over the supergraph
 * it is given (BENCH_SUPERGRAPH, a file; BENCH_SUBGRAPH_URLS, JSON by subgraph name, where the
 * subgraphs listen when not at the supergraph's own URLs). Apollo's telemetry is off, as on ours.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { announceReady } from '../support/service-process.js';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const urls = JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8'),
  buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url }),
});
const server = new ApolloServer({ gateway: gateway as never });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
announceReady({ url });
