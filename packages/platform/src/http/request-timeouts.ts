import type { ServerOptions } from 'node:http';

/** How long a client may take to send a request to any server of ours (docs/security.md, "HTTP hygiene"). */
export interface RequestTimeouts {
  /** From the connection's first byte of a request to the end of its headers. */
  headersMs: number;
  /** From the first byte to the end of the body: a whole request, however it is dribbled. */
  requestMs: number;
}

/**
 * Node's defaults (60 s of headers, 300 s of request, checked every 30 s) let a client dribbling a
 * byte every few seconds hold a connection and its memory for minutes. Our requests are small (1 MB
 * at most) and sent by machines or browsers: 10 s of headers and 30 s for the whole request leave a
 * slow mobile link ample time. Only the request is bounded: an answer takes as long as it takes,
 * and a WebSocket, once upgraded, is no request any more.
 */
export const REQUEST_TIMEOUTS: RequestTimeouts = { headersMs: 10_000, requestMs: 30_000 };

/** `createServer` options enforcing `timeouts`; a client over them is answered 408 and closed (http-server.ts). */
export function boundedRequests(timeouts: RequestTimeouts = REQUEST_TIMEOUTS): ServerOptions {
  return {
    headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs), // Node refuses it above requestTimeout
    requestTimeout: timeouts.requestMs,
    // Node looks for expired requests on a timer, 30 s apart by default: a slow client would be
    // let go up to 30 s late.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, timeouts.headersMs / 4)),
  };
}
