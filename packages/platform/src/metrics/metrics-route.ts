import type { Request, RequestHandler } from 'express';
import { refusalOf } from '../http/json-errors.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsRouteOptions {
  /**
   * Refuse (404) scrapes that came through a proxy (they carry `Forwarded` or `X-Forwarded-For`):
   * Prometheus scrapes each pod directly, while the public reaches the gateway only through the
   * ingress, so in production the figures stay inside the cluster. The 404 is the route's own.
   */
  refuseProxied: boolean;
}

/** `GET /metrics` in Prometheus's text format; no token (Prometheus has none), never cached. */
export function metricsRoute(metrics: ServiceMetrics, options: MetricsRouteOptions): RequestHandler {
  return (req, res, next) => {
    // Answered here, not passed on: on the gateway the next handler is the web client, whose
    // index.html would answer any GET with 200.
    if (options.refuseProxied && cameThroughProxy(req)) {
      res.status(404).set('cache-control', 'no-store').json(refusalOf(404));
      return;
    }
    metrics
      .scrape()
      .then(({ contentType, body }) => {
        res.set('content-type', contentType).set('cache-control', 'no-store').send(body);
      })
      .catch(next);
  };
}

function cameThroughProxy(req: Request): boolean {
  return req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined;
}
