import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { refusalOf } from '@gaji/platform/http';
import type { Express, Handler, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Where `npm run build -w web` writes the browser client. */
export const defaultWebClientDir = resolve(import.meta.dirname, '../../../web/dist');

/**
 * Serves the built web client at `/`, from the same origin as `/graphql`, so the browser needs no
 * CORS and graphql-ws connects to the page's own host. Hashed assets are cached for good; every
 * other GET that is not the API or a probe answers index.html (the client routes in the browser).
 * The build writes Brotli and gzip twins of each script and stylesheet (web/build/precompress.ts);
 * they are sent as is (`Content-Encoding`, `Vary: Accept-Encoding`) to browsers that accept them,
 * so nothing is compressed per request. A missing asset is a typed 404 that names no file path.
 * An address with malformed percent-encoding (`/%E0%A4%A`) names no file: a page request gets the
 * page, which shows its own "not found", and any other a typed 400 — express-static-gzip would
 * answer it with its own HTML 400, "URI malformed".
 * Mounted only when the client has been built: the API works without it.
 */
export function mountWebClient(app: Express, dir = defaultWebClientDir): boolean {
  const indexHtml = join(dir, 'index.html');
  if (!existsSync(indexHtml)) return false;
  const precompressed = { enableBrotli: true, orderPreference: ['br', 'gz'] };
  app.use(
    '/assets',
    onlyDecodable(
      unlabelledOnFallThrough(
        expressStaticGzip(join(dir, 'assets'), {
          ...precompressed,
          serveStatic: { immutable: true, maxAge: '1y', fallthrough: true, index: false },
        }),
      ),
    ),
    notFound,
  );
  app.use(
    onlyDecodable(
      unlabelledOnFallThrough(
        expressStaticGzip(dir, { ...precompressed, serveStatic: { index: false, maxAge: 0 } }),
      ),
    ),
  );
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    if (!req.accepts('html'))
      return next(
        decodable(req.path) ? undefined : Object.assign(new URIError('URI malformed'), { status: 400 }),
      );
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return true;
}

const notFound = (_req: Request, res: Response) => res.status(404).json(refusalOf(404));

/** Static files only for a path that decodes: no file has a name that does not. */
const onlyDecodable =
  (serve: Handler): Handler =>
  (req, res, next) =>
    decodable(req.path) ? serve(req, res, next) : next();

/**
 * express-static-gzip labels the answer (`Content-Encoding: br`, the file's `Content-Type`) before
 * serve-static looks at the request; when serve-static then passes it on (a method other than GET
 * or HEAD, no such file, a range past the end), whatever answers next — a JSON refusal, the page —
 * would go out under the twin's labels, which a decoding client cannot read (curl exits 61, fetch
 * fails with Z_DATA_ERROR). Passed on, the request carries no label of the file's.
 */
const unlabelledOnFallThrough =
  (serve: Handler): Handler =>
  (req, res, next) =>
    serve(req, res, (error?: unknown) => {
      if (!res.headersSent) for (const header of FILE_LABELS) res.removeHeader(header);
      next(error);
    });

const FILE_LABELS = ['Content-Encoding', 'Content-Type', 'Vary'];

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const isApiPath = (path: string) =>
  ['/graphql', '/health', '/auth'].some((api) => path === api || path.startsWith(`${api}/`));
