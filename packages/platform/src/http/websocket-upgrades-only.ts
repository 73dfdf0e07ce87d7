import type { IncomingMessage, Server, ServerOptions } from 'node:http';

/**
 * Only a WebSocket upgrade takes the upgrade path. Node hands a request to the 'upgrade' listeners
 * whenever it carries `Connection: Upgrade` and an `Upgrade` header and any listener exists: curl's
 * `Upgrade: h2c` on `GET /health/ready` was answered by the WebSocket handler (404, 405 on
 * POST /graphql). HTTP lets a server ignore an upgrade it does not offer (RFC 9110 §7.8) and answer
 * the request as if the header were absent, which is what every other request then gets.
 */
export function websocketUpgradesOnly(
  server: () => Server | undefined,
): Pick<ServerOptions, 'shouldUpgradeCallback'> {
  return {
    shouldUpgradeCallback: (request: IncomingMessage) =>
      (server()?.listenerCount('upgrade') ?? 0) > 0 && offersWebSocket(request),
  };
}

/** `Upgrade: websocket` among the protocols offered (`Upgrade: h2c, websocket` too: ws then judges it). */
function offersWebSocket(request: IncomingMessage): boolean {
  return (request.headers.upgrade ?? '')
    .split(',')
    .some((protocol) => protocol.trim().split('/')[0]?.toLowerCase() === 'websocket');
}
