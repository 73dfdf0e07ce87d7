import type { Request, RequestHandler } from 'express';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsRouteOptions {
  /**
   * Refuse (404) scrapes that came through a proxy (they carry `Forwarded` or `X-Forwarded-For`):
   * Prometheus scrapes each pod directly, while the public reaches the gateway only through the
   * ingress, so in production the figures stay inside the cluster.
   */
  refuseProxied: boolean;
}

/** `GET /metrics` in Prometheus's text format; no token (Prometheus has none), never cached. */
export function metricsRoute(metrics: ServiceMetrics, options: MetricsRouteOptions): RequestHandler {
  return (req, res, next) => {
    if (options.refuseProxied && cameThroughProxy(req)) return next();
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
