import type { WebSocket, WebSocketServer } from 'ws';

/** Sockets pinged between two turns of the event loop, so a sweep of thousands does not hold it. */
const PINGS_PER_TURN = 500;

/**
 * Finds broken connections (a peer gone without a close: a dead machine, a dropped network, a
 * frozen tab), as ws's README does: every `everyMs` one sweep over the server's sockets ends
 * (terminates) each one that has not answered the previous sweep's ping, then pings the rest. A
 * socket silent since its last pong is ended one to two periods later; a client that answers
 * stays open however long it idles. Pings from a client are answered by ws itself.
 *
 * One timer and one shared `pong` listener for all sockets: graphql-ws's own keep-alive
 * (`useServer`'s third argument, 12 s, switched off in websocket-server.ts) gives each socket an
 * interval, and each ping a timeout and a closure — objects every full collection walks. The
 * pings go out in slices of PINGS_PER_TURN, letting live frames through between them. Returns
 * the stop, which ends the sweep (a graceful stop calls it).
 */
export function sweepKeepAlive(wss: WebSocketServer, everyMs: number): () => void {
  // Pinged by a sweep and not heard from since. Weak: a closed socket leaves with its last reference.
  const unanswered = new WeakSet<WebSocket>();
  function answered(this: WebSocket): void {
    unanswered.delete(this);
  }
  const onConnection = (socket: WebSocket) => socket.on('pong', answered);
  wss.on('connection', onConnection);

  let stopped = false;
  let sweeping = false;
  const sweep = async () => {
    sweeping = true;
    try {
      let inThisTurn = 0;
      for (const socket of wss.clients) {
        if (stopped) return;
        if (socket.readyState !== socket.OPEN) continue;
        if (unanswered.has(socket)) {
          socket.terminate();
          continue;
        }
        unanswered.add(socket);
        socket.ping();
        if (++inThisTurn === PINGS_PER_TURN) {
          inThisTurn = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => {
    // A sweep still under way (a machine so loaded that one outlasts a period) is left to finish.
    if (!sweeping) void sweep();
  }, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
