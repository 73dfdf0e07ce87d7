import { Counter, Gauge, Histogram } from 'prom-client';
import { ServiceMetrics } from './service-metrics.js';

/** The gateway's metrics: the common ones plus subgraph fetches and live connections. */
export class GatewayMetrics extends ServiceMetrics {
  private countSockets: () => number = () => 0;
  private countSubscriptions: () => number = () => 0;

  readonly subgraphFetchDuration = new Histogram({
    name: 'gaji_subgraph_fetch_duration_seconds',
    help: 'Gateway only. Time of one fetch from a subgraph, by subgraph and outcome.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly subgraphResends = new Counter({
    name: 'gaji_subgraph_resends_total',
    help: 'Gateway only. Subgraph requests sent again after their connection closed before any byte of the answer.',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });

  readonly websocketConnections: Gauge = new Gauge({
    name: 'gaji_websocket_connections',
    help: 'Gateway only. Open graphql-ws connections.',
    registers: [this.registry],
    collect: () => this.websocketConnections.set(this.countSockets()),
  });

  readonly liveSubscriptions: Gauge = new Gauge({
    name: 'gaji_live_subscriptions',
    help: 'Gateway only. Active GraphQL subscriptions.',
    registers: [this.registry],
    collect: () => this.liveSubscriptions.set(this.countSubscriptions()),
  });

  constructor() {
    super('gateway');
  }

  /** Where the live gauges read from at scrape time. */
  observeLive(counts: { sockets: () => number; subscriptions: () => number }): void {
    this.countSockets = counts.sockets;
    this.countSubscriptions = counts.subscriptions;
  }
}
