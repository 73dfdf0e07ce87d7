import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/), carried without a tracing SDK: the
 * gateway starts or continues a trace per request, HTTP calls and NATS messages carry
 * `traceparent`, and every event a request or a policy records gets a child span of it. Any
 * OpenTelemetry collector can later stitch these together; the ids are already in place.
 */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const current = new AsyncLocalStorage<TraceContext>();

export function parseTraceparent(header: string | undefined | null): TraceContext | undefined {
  const match = TRACEPARENT.exec(header?.trim().toLowerCase() ?? '');
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, sampled: (parseInt(match[3]!, 16) & 1) === 1 };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

// Ids come from one pooled random buffer, refilled when spent: a span per request and per
// subgraph call made two small randomBytes calls each, a measurable share of a cheap request.
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** A new span in the same trace (or a new trace when there is no parent). */
export function childOf(parent: TraceContext | undefined): TraceContext {
  return {
    traceId: parent?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    sampled: parent?.sampled ?? true,
  };
}

export function withTrace<T>(context: TraceContext, work: () => T): T {
  return current.run(context, work);
}

export function currentTrace(): TraceContext | undefined {
  return current.getStore();
}

/** The `traceparent` to send on an outgoing call or message: a child span of the current one. */
export function outgoingTraceparent(): string {
  return formatTraceparent(childOf(currentTrace()));
}
