import { Counter, Gauge } from 'prom-client';
import { ServiceMetrics } from './service-metrics.js';

/** What the outbox gauges read at scrape time. */
export interface OutboxBacklog {
  rows: number;
  oldestAgeSeconds: number;
}

/**
 * What a durable consumer's info gives the gauges: its lag, and its ack-pending messages against
 * the durable's `max_ack_pending` (JetStream delivers nothing more while they are equal).
 */
export interface ConsumerReading {
  lag: number;
  ackPending: number;
  maxAckPending: number;
}

/**
 * What the consumer gauges read at scrape time, per consumer: a durable's reading, or only a lag
 * (My Page reads the stream without a durable consumer).
 */
export type ConsumerLag = () => Promise<number | ConsumerReading>;

/** What an admission's gauges read at scrape time (purchase's buys: decision 0013). */
export interface AdmissionReading {
  limit: number;
  running: number;
  waiting: number;
}

/**
 * A bounded context's metrics: the common ones plus its outbox and its durable consumer. The
 * gauges are read when Prometheus scrapes (a count query, a consumer-info request), so they are
 * as fresh as the scrape and cost nothing between scrapes.
 */
export class ContextMetrics extends ServiceMetrics {
  private outboxReader?: () => Promise<OutboxBacklog>;
  private readonly lagReaders = new Map<string, ConsumerLag>();
  private lastReadings?: Promise<Map<string, ConsumerReading | number>>;
  private lastBacklog?: Promise<OutboxBacklog | undefined>;
  private readonly admissionReaders = new Map<string, () => AdmissionReading>();

  readonly outboxBacklog: Gauge = new Gauge({
    name: 'gaji_outbox_backlog',
    help: 'Outbox rows not yet published to JetStream.',
    registers: [this.registry],
    collect: async () => {
      const backlog = await this.readBacklog();
      if (backlog) this.outboxBacklog.set(backlog.rows);
    },
  });

  readonly outboxOldestAge: Gauge = new Gauge({
    name: 'gaji_outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when the outbox is empty).',
    registers: [this.registry],
    collect: async () => {
      const backlog = await this.readBacklog();
      if (backlog) this.outboxOldestAge.set(backlog.oldestAgeSeconds);
    },
  });

  readonly consumerLag: Gauge<'consumer'> = new Gauge({
    name: 'gaji_consumer_lag_messages',
    help: 'Events in the stream the consumer has not yet acknowledged.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
    collect: async () => {
      // An unreachable NATS leaves the last value: the lag alert must not clear by itself.
      for (const [consumer, reading] of await this.readConsumers())
        this.consumerLag.set({ consumer }, typeof reading === 'number' ? reading : reading.lag);
    },
  });

  // Against gaji_consumer_max_ack_pending: equal, the durable receives nothing more (waits on an
  // unavailable dependency hold their slots until applied; reliability.md, "Known limits").
  readonly consumerAckPending: Gauge<'consumer'> = new Gauge({
    name: 'gaji_consumer_ack_pending_messages',
    help: 'Durable consumers only. Messages delivered and not yet acknowledged (num_ack_pending), every replica together.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
    collect: async () => {
      for (const [consumer, reading] of await this.readConsumers())
        if (typeof reading !== 'number') this.consumerAckPending.set({ consumer }, reading.ackPending);
    },
  });

  readonly consumerMaxAckPending: Gauge<'consumer'> = new Gauge({
    name: 'gaji_consumer_max_ack_pending',
    help: "Durable consumers only. The durable's max_ack_pending: with this many unacknowledged, JetStream delivers it nothing more (-1: no limit).",
    labelNames: ['consumer'] as const,
    registers: [this.registry],
    collect: async () => {
      for (const [consumer, reading] of await this.readConsumers())
        if (typeof reading !== 'number') this.consumerMaxAckPending.set({ consumer }, reading.maxAckPending);
    },
  });

  // Labelled by operation so that a context without an admission serves no series (an unlabelled
  // gauge would read 0, a limit of nothing).
  readonly admissionLimit = this.admissionGauge(
    'gaji_admission_limit',
    'Purchase only. How many of an operation may run at once, as learned from their latency (decision 0013).',
    'limit',
  );

  readonly admissionRunning = this.admissionGauge(
    'gaji_admission_running',
    'Purchase only. Operations running under the admission limit.',
    'running',
  );

  readonly admissionWaiting = this.admissionGauge(
    'gaji_admission_waiting',
    'Purchase only. Operations waiting for a place (each refused SERVICE_BUSY after its wait bound).',
    'waiting',
  );

  readonly redeliveries = new Counter({
    name: 'gaji_consumer_redeliveries_total',
    help: 'Events delivered again after a failed or timed-out attempt.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });

  // Growing while the lag grows: the consumer is waiting out an outage (a provider, its database),
  // not failing; these deliveries never make a dead letter.
  readonly dependencyWaits = new Counter({
    name: 'gaji_consumer_dependency_waits_total',
    help: 'Deliveries put back because a dependency (a provider, the database) was unavailable; not counted towards the dead-letter limit.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });

  readonly terminated = new Counter({
    name: 'gaji_consumer_terminated_total',
    help: 'Events the consumer terminated (will never be delivered again).',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'gaji_consumer_dead_lettered_total',
    help: 'Events set aside for a person to look at.',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });

  // Against gaji_graphql_request_duration_seconds_count it shows the share of operations that
  // ran compiled: a share falling while traffic is steady means the compiled cache churns.
  readonly operationsCompiled = new Counter({
    name: 'gaji_graphql_operations_compiled_total',
    help: 'Subgraphs only. GraphQL operations executed by the function graphql-jit compiled for them (queries from their second sighting).',
    registers: [this.registry],
  });

  // An answer waits for the events its request committed (decision 0001): `deadline` growing
  // means relay passes take longer than ANSWER_AFTER_EVENTS_MS, and the live frames trail answers.
  readonly answerEventWaits = new Counter({
    name: 'gaji_answer_event_waits_total',
    help: 'Subgraphs only. GraphQL answers that waited for the publication of their events, by outcome (published, deadline, relay_down).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Where the outbox gauges read from (the context's database). */
  observeOutbox(read: () => Promise<OutboxBacklog>): void {
    this.outboxReader = read;
  }

  /** One gauge per figure of an admission reading, set for each observed operation at scrape time. */
  private admissionGauge(name: string, help: string, figure: keyof AdmissionReading): Gauge<'operation'> {
    const readers = this.admissionReaders;
    const gauge: Gauge<'operation'> = new Gauge({
      name,
      help,
      labelNames: ['operation'] as const,
      registers: [this.registry],
      collect: () => {
        for (const [operation, read] of readers) gauge.set({ operation }, read()[figure]);
      },
    });
    return gauge;
  }

  /** Where an operation's admission gauges read from (purchase's BuyAdmission for `buy`). */
  observeAdmission(operation: string, read: () => AdmissionReading): void {
    this.admissionReaders.set(operation, read);
  }

  /** Where a durable consumer's lag is read from (its JetStream consumer info). */
  observeConsumer(consumer: string, read: ConsumerLag): void {
    this.lagReaders.set(consumer, read);
    this.redeliveries.inc({ consumer }, 0);
    this.dependencyWaits.inc({ consumer }, 0);
    this.terminated.inc({ consumer }, 0);
    this.deadLettered.inc({ consumer }, 0);
  }

  // The consumer gauges come from one reading per consumer and scrape (a consumer-info request),
  // shared like the outbox's; a consumer whose reading failed is left out (its gauges keep their values).
  private readConsumers(): Promise<Map<string, ConsumerReading | number>> {
    this.lastReadings ??= Promise.all(
      [...this.lagReaders].map(
        async ([consumer, read]) => [consumer, await read().catch(() => undefined)] as const,
      ),
    )
      .then((readings) => {
        const read = new Map<string, ConsumerReading | number>();
        for (const [consumer, reading] of readings) if (reading !== undefined) read.set(consumer, reading);
        return read;
      })
      .finally(() => setImmediate(() => (this.lastReadings = undefined)));
    return this.lastReadings;
  }

  // Both outbox gauges come from one query per scrape: the first collect starts it, the second
  // reuses it, and it is forgotten once settled.
  private readBacklog(): Promise<OutboxBacklog | undefined> {
    if (!this.outboxReader) return Promise.resolve(undefined);
    this.lastBacklog ??= this.outboxReader()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (this.lastBacklog = undefined)));
    return this.lastBacklog;
  }
}
