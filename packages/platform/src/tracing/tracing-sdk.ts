import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/**
 * One OpenTelemetry tracer provider per process, installed on first use. Spans go to an OTLP/HTTP
 * collector only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is
 * set; otherwise they are recorded and dropped, with no exporter and no network — the trace ids
 * still travel in `traceparent`, so logs and events stay correlated. Tests add an in-memory
 * exporter with `addSpanProcessor`.
 */
const processors: SpanProcessor[] = [];
const fanOut: SpanProcessor = {
  onStart: (span, parent) => processors.forEach((processor) => processor.onStart(span, parent)),
  onEnd: (span) => processors.forEach((processor) => processor.onEnd(span)),
  forceFlush: async () => void (await Promise.all(processors.map((processor) => processor.forceFlush()))),
  shutdown: async () => void (await Promise.all(processors.map((processor) => processor.shutdown()))),
};
let installed = false;
let exportingTo: string | undefined;
let serviceName = process.env.OTEL_SERVICE_NAME ?? 'gaji-market';

function install(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  exportingTo = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (exportingTo) processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
  trace.setGlobalTracerProvider(
    new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      spanProcessors: [fanOut],
    }),
  );
}

/**
 * Names the process in exported traces (`service.name`); call it in `main.ts` before anything
 * else. `OTEL_SERVICE_NAME` wins when set.
 */
export function configureTracing(options: { serviceName: string }): void {
  if (!installed) serviceName = process.env.OTEL_SERVICE_NAME ?? options.serviceName;
  install();
}

/** Where spans are exported (the configured OTLP endpoint), or undefined: nowhere. */
export function traceExportEndpoint(): string | undefined {
  install();
  return exportingTo;
}

let gajiTracer: Tracer | undefined;

/**
 * The tracer every Gaji Market span comes from. Kept once made: the provider is installed once
 * and never replaced (processors are added to it), and the lookup through the global proxy
 * provider was a visible share of a span's cost.
 */
export function tracer(): Tracer {
  if (gajiTracer) return gajiTracer;
  install();
  return (gajiTracer = trace.getTracer('gaji-market'));
}

/** Where ended spans also go (tests: an in-memory exporter); returns how to stop that. */
export function addSpanProcessor(processor: SpanProcessor): () => void {
  install();
  processors.push(processor);
  return () => {
    const index = processors.indexOf(processor);
    if (index >= 0) processors.splice(index, 1);
  };
}

/** Sends what is still buffered (a stopping process calls it last). */
export function flushSpans(): Promise<void> {
  return fanOut.forceFlush();
}

/**
 * Keeps every span that ends from now on, in memory, for a test to inspect (`spans()`); `stop()`
 * detaches it. The services of a test run in one process, so one recorder sees all of them.
 */
export function recordSpansInMemory(): { spans(): ReadableSpan[]; stop(): void } {
  const exporter = new InMemorySpanExporter();
  const detach = addSpanProcessor(new SimpleSpanProcessor({ exporter }));
  return { spans: () => exporter.getFinishedSpans(), stop: detach };
}
