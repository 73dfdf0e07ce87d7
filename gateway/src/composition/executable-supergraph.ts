import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { GatewayMetrics } from '@gaji/platform/metrics';
import { ForwardingDataSource } from '../auth/forwarding-data-source.js';
import { withSecurityFeaturesEnforcedByGateway } from '../auth/security-features.js';
import type { GatewayConfig } from '../config.js';
import { subgraphs, supergraphPath } from './subgraph-registry.js';

/**
 * Another supergraph to serve instead of ours (the benchmark's gateway-bound workload runs the
 * same gateway, every feature on, over four in-memory subgraphs). Subgraph URLs by name.
 */
export interface SupergraphOverride {
  sdl: string;
  urls: Record<string, string>;
}

export interface ExecutableSupergraph {
  /** As composed: the auth directives are read from it. */
  sdl: string;
  /** What the gateway plans over: the security features enforced here, not by the subgraphs. */
  executableSdl: string;
  /** One data source per subgraph, shared by query execution and live subscriptions. */
  services: Record<string, ForwardingDataSource>;
  gateway: ApolloGateway;
}

/** The composed supergraph (schema/supergraph.graphql, composed at build time), ready to plan over. */
export function loadSupergraph(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  override?: SupergraphOverride,
): ExecutableSupergraph {
  const sdl = override?.sdl ?? readFileSync(supergraphPath, 'utf8');
  const subgraphUrls = new Map<string, string>(
    override
      ? Object.entries(override.urls)
      : subgraphs.map((subgraph) => [subgraph.name, config[subgraph.envUrl]]),
  );
  const executableSdl = withSecurityFeaturesEnforcedByGateway(sdl);
  const services = Object.fromEntries(
    [...subgraphUrls].map(([name, url]) => [
      name,
      new ForwardingDataSource(name, url, config.SUBGRAPH_TIMEOUT_MS, metrics, config.SUBGRAPH_MAX_QUEUE_MS),
    ]),
  );
  // ApolloGateway reads this in its constructor to decide whether to start its usage exporter.
  process.env.APOLLO_TELEMETRY_DISABLED = String(config.APOLLO_TELEMETRY_DISABLED);
  const gateway = new ApolloGateway({
    supergraphSdl: executableSdl,
    buildService: ({ name, url }) =>
      services[name] ?? new ForwardingDataSource(name, url ?? '', config.SUBGRAPH_TIMEOUT_MS),
  });
  return { sdl, executableSdl, services, gateway };
}
