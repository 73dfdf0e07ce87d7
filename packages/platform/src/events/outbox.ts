import { randomUUID } from 'node:crypto';
import { eventContracts, subjectFor, type EventEnvelope, type RecordedEvent } from '@gaji/contracts';
import type { SqlExecutor } from '../database/sql-transaction.js';
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { outgoingTraceparent } from '../tracing/trace-context.js';
import { tracer } from '../tracing/tracing-sdk.js';
import { currentCausation, type Causation } from './causation.js';

/**
 * Writes events into the `gaji_outbox` table inside the caller's transaction, so an event exists
 * if and only if the state change that produced it was committed. The relay publishes them.
 */
export class Outbox {
  constructor(private readonly subjectPrefix: string) {}

  async append(
    tx: SqlExecutor,
    events: readonly RecordedEvent[],
    causation?: Causation,
  ): Promise<EventEnvelope[]> {
    const envelopes: EventEnvelope[] = [];
    for (const event of events) {
      const envelope = this.toEnvelope(event, causation ?? currentCausation());
      // The row's own span: the relay's publish, and every consumer's effect, descend from it.
      const span = tracer().startSpan(`outbox ${envelope.type}`, {
        kind: SpanKind.INTERNAL,
        attributes: { 'gaji.event.id': envelope.id, 'gaji.event.type': envelope.type },
      });
      const headers = {
        'Gaji-Event-Type': envelope.type,
        'Gaji-Correlation-Id': envelope.correlationId,
        traceparent: withSpanActive(span, outgoingTraceparent),
      };
      span.end();
      await tx.$executeRaw`INSERT INTO gaji_outbox (id, subject, envelope, headers)
        VALUES (${envelope.id}::uuid, ${subjectFor(this.subjectPrefix, event.type)}, ${JSON.stringify(envelope)}::jsonb, ${JSON.stringify(headers)}::jsonb)`;
      envelopes.push(envelope);
    }
    return envelopes;
  }

  private toEnvelope(event: RecordedEvent, causation: Causation | undefined): EventEnvelope {
    const contract = eventContracts[event.type];
    // The producer checks its own output: a contract break fails the use case, not a consumer.
    const payload = contract.payload.parse(event.payload);
    return {
      id: randomUUID(),
      type: event.type,
      version: contract.version,
      aggregateType: contract.aggregateType,
      aggregateId: event.aggregateId,
      occurredAt: event.occurredAt.toISOString(),
      correlationId: causation?.correlationId ?? event.aggregateId,
      causationId: causation?.causationId ?? null,
      payload,
    };
  }
}

function withSpanActive<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}
