import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { refusalCodeOf } from '../http/json-errors.js';
import { refusedOnSocket } from '../http/raw-refusal.js';
import { countedByRequestPlugin, RESPONSE_OF_CONTEXT } from './request-metrics.plugin.js';
import type { ServiceMetrics } from './service-metrics.js';

/** The requests (by their response) taken past the door by something that counts them itself. */
const handedOn = new WeakSet<ServerResponse>();

/**
 * The one place a request refused before GraphQL runs it is counted in the request metric. Apollo's
 * request plugin (requestMetricsPlugin) and context (countingRefusals) count only what reaches
 * them, so everything refused on the way — the address budget's 429, a body over the limit (413),
 * an encoding or charset not read (415), JSON malformed or nested too deep, too many variables, a
 * method not served, and what Apollo refuses before its plugins (a CSRF-refused content type, a
 * batch, a body of the wrong shape) — was in no count. Mounted first: any answer of 400 or more
 * to a request nothing else counts is counted under the code its body carries (refusalCodeOf the
 * status for a body without one), with the name known when it is answered — `operationNameOf`
 * reads a parsed body or a GET's URL, else it is `anonymous` — and the time since the door, or
 * since the body's last byte once it has arrived.
 */
export function countingRefusalsAtTheDoor(
  metrics: ServiceMetrics,
  operationNameOf: (req: Request) => string | undefined,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    let startedAt = performance.now();
    // Timed from the body's last byte, as Apollo's plugin times a request it runs: the time a client
    // takes to send its body is the client's, and would otherwise reach the p99 latency alert.
    req.once('end', () => (startedAt = performance.now()));
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      // Refused on its socket already (Node's 408 while the body was awaited): counted there.
      if (res.statusCode >= 400 && !countedPastTheDoor(res) && !refusedOnSocket(req.socket))
        metrics.observeRequest(
          operationNameOf(req),
          codeIn(args[0]) ?? refusalCodeOf(res.statusCode),
          (performance.now() - startedAt) / 1000,
        );
      return end(...args);
    }) as Response['end'];
    next();
  };
}

/**
 * Counts what is refused before any handler that could count it — Node's parser and timers (408,
 * 431, 400), a missing or repeated Host, CONNECT, a WebSocket upgrade, a subgraph's `/graphql`
 * before Apollo — in the request metric as `anonymous` under the code its client reads (no name was
 * read), timed 0: nothing of ours ran, and the time a client takes to send is its own (as the door
 * times a request from its body's last byte), so a slow client's 408 never reaches the latency alert.
 */
export function countingRefusalsBeforeHandlers(metrics: ServiceMetrics): (code: string) => void {
  return (code) => metrics.observeRequest(undefined, code, 0);
}

/** Marks a request as counted by what it is handed to next (a route that runs Apollo itself). */
export function handedOnCounted(_req: Request, res: Response, next: NextFunction): void {
  handedOn.add(res);
  next();
}

/**
 * Builds a request's GraphQL context, marking how far it went: a refusal while it is built is
 * countingRefusals' to count, and a request run with the context is the request plugin's — but
 * one Apollo refuses after the context and before its plugins (a batch) is still the door's.
 */
export async function contextPastTheDoor<C extends object>(
  res: ServerResponse,
  build: () => Promise<C>,
): Promise<C & { [RESPONSE_OF_CONTEXT]: ServerResponse }> {
  handedOn.add(res);
  const context = await build();
  handedOn.delete(res);
  return Object.assign(context, { [RESPONSE_OF_CONTEXT]: res });
}

function countedPastTheDoor(res: ServerResponse): boolean {
  return handedOn.has(res) || countedByRequestPlugin(res);
}

/** The code of the first error in a JSON body, if the chunk is one. */
function codeIn(chunk: unknown): string | undefined {
  if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return undefined;
  try {
    const body = JSON.parse(chunk.toString()) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
