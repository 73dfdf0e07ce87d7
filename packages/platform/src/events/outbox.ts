import { randomUUID } from 'node:crypto';
import { eventContracts, subjectFor, type EventEnvelope, type RecordedEvent } from '@gaji/contracts';
import { sqltag as sql, type Sql } from '@prisma/client/runtime/client';
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
    const rows = this.rows(events, causation);
    for (const row of rows) {
      await tx.$executeRaw`INSERT INTO gaji_outbox (id, subject, envelope, headers)
        VALUES (${row.envelope.id}::uuid, ${row.subject}, ${JSON.stringify(row.envelope)}::jsonb, ${JSON.stringify(row.headers)}::jsonb)`;
    }
    return rows.map((row) => row.envelope);
  }

  /**
   * The same rows as `append` writes, as one data-modifying statement to embed in the caller's own
   * (a CTE: `WITH …, events AS (${insert}) …`), so a state change and its events are one statement
   * and need no transaction (saveWithEventsInOneStatement). All rows go in one parameter, in order:
   * their `seq` follows the events' order, as `append`'s one insert after another does.
   */
  insert(events: readonly RecordedEvent[], causation?: Causation): Sql {
    const rows = this.rows(events, causation).map((row) => ({
      id: row.envelope.id,
      subject: row.subject,
      envelope: row.envelope,
      headers: row.headers,
    }));
    return sql`INSERT INTO gaji_outbox (id, subject, envelope, headers)
      SELECT (r.row->>'id')::uuid, r.row->>'subject', r.row->'envelope', r.row->'headers'
      FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS r(row, n)
      ORDER BY r.n`;
  }

  private rows(events: readonly RecordedEvent[], causation: Causation | undefined): OutboxRow[] {
    return events.map((event) => {
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
      return { subject: subjectFor(this.subjectPrefix, event.type), envelope, headers };
    });
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

interface OutboxRow {
  subject: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

function withSpanActive<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}
