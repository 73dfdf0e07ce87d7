import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The page may load only our own scripts, styles and fonts, talk only to its own origin (HTTP and
 * graphql-ws), show product images from anywhere over HTTPS, and never be framed — a clickjacking
 * page cannot put a "buy" button under someone's cursor.
 */
const webClientPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/** Headers for every response: no MIME sniffing, no referrer beyond our origin, no framing. */
const everywhere = helmet({
  contentSecurityPolicy: false,
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});

/**
 * Security headers for the gateway's HTTP responses, as middleware of their own so they apply
 * whatever serves the body. The content security policy goes on the web client's pages; the API
 * answers JSON (and, in development only, Apollo's Sandbox, which loads from Apollo's CDN).
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  everywhere(req, res, (error?: unknown) => {
    if (error) return next(error);
    if (isApiPath(req.path)) return next();
    webClientPolicy(req, res, next);
  });
}

const isApiPath = (path: string) => /^\/(graphql|health)(\/|$)/.test(path);
