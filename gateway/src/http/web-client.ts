import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express } from 'express';

/** Where `npm run build -w web` writes the browser client. */
export const defaultWebClientDir = resolve(import.meta.dirname, '../../../web/dist');

/**
 * Serves the built web client at `/`, from the same origin as `/graphql`, so the browser needs no
 * CORS and graphql-ws connects to the page's own host. Hashed assets are cached for good; every
 * other GET that is not the API or a probe answers index.html (the client routes in the browser).
 * Mounted only when the client has been built: the API works without it.
 */
export function mountWebClient(app: Express, dir = defaultWebClientDir): boolean {
  const indexHtml = join(dir, 'index.html');
  if (!existsSync(indexHtml)) return false;
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  app.use(express.static(dir, { index: false, maxAge: 0 }));
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return true;
}

const isApiPath = (path: string) =>
  path === '/graphql' || path.startsWith('/graphql/') || path === '/health' || path.startsWith('/health/');
