import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Per server: responses being written, and the plain HTTP sockets open (upgraded ones left out). */
interface Tracked {
  responses: Set<ServerResponse>;
  sockets: Set<Socket>;
}
const tracked = new WeakMap<Server, Tracked>();
const draining = new WeakSet<Server>();

/**
 * Listens and resolves with the actual port (port 0 picks a free one, as tests do). `reusePort`
 * (Linux SO_REUSEPORT): several processes listen on the same port and the kernel spreads new
 * connections over them — replicas of one service on one machine.
 */
export function listen(
  server: Server,
  port: number,
  host: string,
  options: { reusePort?: boolean } = {},
): Promise<number> {
  const state: Tracked = { responses: new Set(), sockets: new Set() };
  tracked.set(server, state);
  server.on('connection', (socket: Socket) => {
    state.sockets.add(socket);
    socket.once('close', () => state.sockets.delete(socket));
  });
  // No 'upgrade' listener here: with one, Node hands every request carrying an Upgrade header
  // (curl's `Upgrade: h2c`) to it instead of answering it, and on a server with no WebSocket it
  // would hang. The WebSocket server tells us of the sockets it takes (forgetUpgraded).
  // First of the request listeners, so the header is set before the application answers.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining.has(server)) res.setHeader('connection', 'close');
    state.responses.add(res);
    res.once('close', () => state.responses.delete(res));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort: options.reusePort ?? false }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * A socket upgraded to a WebSocket is no keep-alive connection: it has its own close (1012), so a
 * graceful close does not wait for it. Called by whoever accepts the upgrade.
 */
export function forgetUpgraded(server: Server, socket: Socket): void {
  tracked.get(server)?.sockets.delete(socket);
}

/**
 * The start of a graceful shutdown (while readiness fails and the server still serves): from now
 * on every response — those being written included — carries `Connection: close`, so each client
 * retires the keep-alive connection it used instead of sending its next request down it.
 */
export function drainServer(server: Server): void {
  draining.add(server);
  for (const res of tracked.get(server)?.responses ?? [])
    if (!res.headersSent) res.setHeader('connection', 'close');
}

export interface CloseOptions {
  /**
   * How long the server keeps listening, answering with `Connection: close`, while idle keep-alive
   * connections are retired by their clients (at the `Keep-Alive: timeout` the server announced, or
   * after their next request). What is still idle then is closed by the server — a client that
   * picks such a connection at that moment sees it closed before any byte of an answer, and must
   * retry on a new one (the gateway does, forwarding-data-source.ts). Default: the server's
   * keep-alive timeout plus a second, at most 5 s.
   */
  idleGraceMs?: number;
  /** After the listener closes, whatever is still open after this long is cut. */
  forceAfterMs?: number;
}

/**
 * Stops the server without cutting a request: drains it (above), if it was already draining waits up to `idleGraceMs` for
 * its keep-alive connections to be retired by their clients, stops accepting, closes the idle
 * connections left, lets the requests in flight finish (each answered with `Connection: close`),
 * and cuts whatever is still open `forceAfterMs` later.
 */
export async function closeServer(server: Server, options: CloseOptions = {}): Promise<void> {
  const { idleGraceMs = Math.min(server.keepAliveTimeout + 1_000, 5_000), forceAfterMs = 10_000 } = options;
  // Only after a graceful start (drainServer at SIGTERM) are clients given the grace; a plain
  // stop (tests, a failed start-up) closes at once.
  const graceful = draining.has(server);
  drainServer(server);
  const sockets = tracked.get(server)?.sockets;
  const until = Date.now() + (graceful ? idleGraceMs : 0);
  while (sockets && sockets.size > 0 && Date.now() < until && server.listening) await sleep(50);
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), forceAfterMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
