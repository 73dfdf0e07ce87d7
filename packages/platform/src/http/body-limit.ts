import type { IncomingMessage, ServerResponse } from 'node:http';

/** A body over the limit, as body-parser marks its own: 413 (json-errors.ts, internal-route.ts). */
export class PayloadTooLarge extends Error {
  readonly status = 413;
  readonly type = 'entity.too.large';
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** Whether the request's `Content-Length` already says its body is over `limit` bytes. */
export function declaresOver(req: IncomingMessage, limit: number): boolean {
  return Number(req.headers['content-length']) > limit;
}

/**
 * What every refusal of a body over the limit does before it is answered: the answer says
 * `Connection: close`, so Node closes the connection once it is written, and the rest of the body
 * is neither waited for nor read as the connection's next request. A client that sent its next
 * request behind the refused body (or the body's remaining bytes) gets a new connection for it.
 */
export function closingAfter413(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

/**
 * Express middleware, before a body parser: a request whose `Content-Length` already says its body
 * is over `limit` bytes is refused (PayloadTooLarge) before a byte of the body is read, and the
 * connection closed after the answer (closingAfter413). body-parser refuses it too, but only once
 * the declared body has arrived (it drains what it refuses): a client declaring 2 MB and sending
 * less was held until the request timeout's 408.
 */
export function refusingDeclaredOversize(limit: number) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (!declaresOver(req, limit)) return next();
    closingAfter413(res);
    next(new PayloadTooLarge(limit));
  };
}

/** `1kb`, `16kb`, `1mb` (body-parser's units, 1024-based) or a number of bytes. */
export function bytesOf(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`not a body limit: ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}
