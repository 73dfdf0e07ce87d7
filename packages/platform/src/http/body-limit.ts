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
 * Express middleware reading a body with `parser` (express.json) within `limit` bytes, the same as
 * the parser's own limit: a body over it is refused with PayloadTooLarge — answered by the route's
 * error handler, as body-parser's own 413 — and the connection closed after the answer
 * (closingAfter413), the moment that is known:
 * - when the headers are read, if `Content-Length` declares more;
 * - otherwise (a body sent chunked) as soon as the bytes received cross the limit, counted as they
 *   arrive. body-parser notices at the same byte, but reads the rest of a refused body off the
 *   socket (to the end, however slowly it is sent) before it answers: a client trickling a body
 *   over the limit was held until the request timeout. Its late callback is ignored.
 * What arrives between the refusal and the close is discarded, never buffered.
 */
export function withinBodyLimit<Req extends IncomingMessage, Res extends ServerResponse>(
  limit: number,
  parser: (req: Req, res: Res, next: (error?: unknown) => void) => void,
): (req: Req, res: Res, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    if (declaresOver(req, limit)) {
      closingAfter413(res);
      next(new PayloadTooLarge(limit));
      return;
    }
    let received = 0;
    let settled = false;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit || settled) return;
      settled = true;
      req.off('data', count);
      closingAfter413(res);
      next(new PayloadTooLarge(limit));
    };
    // Attached before the parser's own listener, in the same tick: both see every chunk.
    req.on('data', count);
    parser(req, res, (error) => {
      req.off('data', count);
      if (settled) return;
      settled = true;
      // The parser's own 413: a compressed body within the limit that inflates past it. Closed
      // like every other 413, once all its compressed bytes have come.
      if (isPayloadTooLarge(error)) closingAfter413(res);
      next(error);
    });
  };
}

const isPayloadTooLarge = (error: unknown) =>
  (error as { type?: unknown } | undefined)?.type === 'entity.too.large';

/** `1kb`, `16kb`, `1mb` (body-parser's units, 1024-based) or a number of bytes. */
export function bytesOf(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`not a body limit: ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}
