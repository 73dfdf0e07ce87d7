import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { childOf, currentTrace, formatTraceparent, parseTraceparent } from './trace-context.js';
import { tracer } from './tracing-sdk.js';

export { SpanKind, type Span };

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** A `traceparent` carried by a message or a row: the span continues that trace instead. */
  traceparent?: string | null;
}

/** The context a span starts in: the carried `traceparent` if any, else the current one. */
export function parentContext(traceparent: string | null | undefined): Context {
  const parent = parseTraceparent(traceparent);
  if (!parent) return traceparent === undefined ? context.active() : ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/**
 * Runs `work` in a new span (the current one for everything it starts), ends it when `work`
 * settles, and marks it failed with the error if `work` throws.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const { kind = SpanKind.INTERNAL, attributes, traceparent } = options;
  return tracer().startActiveSpan(
    name,
    { kind, ...(attributes ? { attributes } : {}) },
    parentContext(traceparent),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks a span failed with the error that ended it. */
export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

/**
 * A client span for one outgoing call, child of the current span, and the `traceparent` that
 * carries it to the callee. Not made the current span, unlike `inSpan`: nothing in this process
 * runs inside the call, so the context switch would buy nothing, and a gateway request makes a
 * dozen such calls. The caller ends the span (`failed` first when the call failed).
 */
export function startClientSpan(name: string, attributes?: Attributes): { span: Span; traceparent: string } {
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, ...(attributes ? { attributes } : {}) });
  const carried = span.spanContext();
  const traceparent = isSpanContextValid(carried)
    ? formatTraceparent({
        traceId: carried.traceId,
        spanId: carried.spanId,
        sampled: (carried.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
      })
    : formatTraceparent(currentTrace() ?? childOf(undefined));
  return { span, traceparent };
}
