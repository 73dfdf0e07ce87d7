import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { parentContext } from './spans.js';
import { tracer } from './tracing-sdk.js';

/** Probes and scrapes come every few seconds and say nothing about a request: no span. */
const UNTRACED = /^\/(health\/|metrics$)/;

/**
 * An Express middleware giving each request a server span (`inServerSpan`), except probes and
 * scrapes. `service` names the span's process.
 */
export function traceRequestsOf(service: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (UNTRACED.test(req.path)) return next();
    inServerSpan(service, req, res, req.path, next);
  };
}

/**
 * Runs `handle` in a server span for the request that continues the caller's trace (W3C
 * `traceparent`) or starts one; it is the current span while the request is handled, so every
 * call and event the request makes is its child. It ends when the response closes.
 */
export function inServerSpan<T>(
  service: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  handle: () => T,
): T {
  const method = req.method ?? 'GET';
  const header = req.headers.traceparent;
  const span = tracer().startSpan(
    `${service} ${method} ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'gaji.service': service, 'http.request.method': method, 'url.path': path },
    },
    parentContext((Array.isArray(header) ? header[0] : header) ?? null),
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(context.active(), span), handle);
}
