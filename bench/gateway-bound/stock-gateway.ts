/**
 * The baseline: a stock @apollo/server 5 + @apollo/gateway, nothing of ours, over the supergraph
 * it is given (BENCH_SUPERGRAPH, a file). Apollo's telemetry is off, as it is on our gateway.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { announceReady } from '../support/service-process.js';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8') });
const server = new ApolloServer({ gateway: gateway as never });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
announceReady({ url });
