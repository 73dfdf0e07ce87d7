import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Responses being written, per server: told to close their connection once the server closes. */
const inFlight = new WeakMap<Server, Set<ServerResponse>>();
const closing = new WeakSet<Server>();

/** Listens and resolves with the actual port (port 0 picks a free one, as tests do). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  const responses = new Set<ServerResponse>();
  inFlight.set(server, responses);
  server.on('request', (_req, res: ServerResponse) => {
    if (closing.has(server)) res.setHeader('connection', 'close');
    responses.add(res);
    res.once('close', () => responses.delete(res));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting connections and lets the requests in flight finish: each is answered with
 * `Connection: close` (so its client does not send the next request down a closing connection),
 * idle keep-alive connections close at once, and whatever is still open after `forceAfterMs` is cut.
 */
export function closeServer(server: Server, forceAfterMs = 10_000): Promise<void> {
  closing.add(server);
  for (const res of inFlight.get(server) ?? []) if (!res.headersSent) res.setHeader('connection', 'close');
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), forceAfterMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
