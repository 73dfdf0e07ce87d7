import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

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
 *   arrive — compressed bytes too;
 * - for a compressed body, as soon as what its bytes so far inflate to crosses the limit
 *   (inflatedSizeMeter).
 * body-parser notices at the same bytes, but reads the rest of a refused body off the socket (to
 * the end, however slowly it is sent) before it answers: a client trickling a body over the limit,
 * or a few KB of gzip that inflate to gigabytes, was held until its last byte or the request
 * timeout. Its late callback is ignored. What arrives between the refusal and the close is
 * discarded, never buffered.
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
    const refuse = () => {
      if (settled) return;
      settled = true;
      stop();
      closingAfter413(res);
      next(new PayloadTooLarge(limit));
    };
    const meter = inflatedSizeMeter(req.headers['content-encoding'], limit, refuse);
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) refuse();
      else if (meter?.writable) meter.write(chunk);
    };
    const stop = () => {
      req.off('data', count);
      meter?.destroy();
    };
    // Attached before the parser's own listener, in the same tick: both see every chunk.
    req.on('data', count);
    parser(req, res, (error) => {
      stop();
      if (settled) return;
      settled = true;
      // The parser's own 413, had it come first: closed like every other.
      if (isPayloadTooLarge(error)) closingAfter413(res);
      next(error);
    });
  };
}

/** The decoders body-parser undoes a `Content-Encoding` with (read.js), by the same names. */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  deflate: () => zlib.createInflate(),
  gzip: () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  ...(typeof zlib.createZstdDecompress === 'function' ? { zstd: () => zlib.createZstdDecompress() } : {}),
};

/**
 * A decoder, beside the parser's own, fed the body's bytes as they arrive, that only counts what
 * they inflate to and calls `over` once that passes `limit`: body-parser inflates too, but answers
 * its 413 only after the whole compressed body. Its output is dropped as it comes, and it is
 * destroyed once the count passes the limit: the cost is one more inflate of a body within the
 * limit (compressed bodies are rare: nothing of ours sends one). An encoding body-parser cannot read gets
 * none (the parser refuses it 415); bytes that do not decode stop the count (the parser answers 400).
 */
function inflatedSizeMeter(
  encoding: string | undefined,
  limit: number,
  over: () => void,
): Transform | undefined {
  const decoder = DECODERS[(encoding ?? 'identity').toLowerCase()]?.();
  if (!decoder) return undefined;
  let inflated = 0;
  decoder.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (inflated > limit) over();
  });
  decoder.on('error', () => decoder.destroy());
  return decoder;
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
