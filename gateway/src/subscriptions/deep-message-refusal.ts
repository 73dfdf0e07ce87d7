import { nestsDeeperThan } from '@gaji/platform/http';
import type { RawData, WebSocket } from 'ws';
import { SOCKET_CLOSE } from './socket-close.js';

type MessageListener = (data: RawData, isBinary: boolean) => void;

/**
 * Puts the bound HTTP bodies have on nesting (json-depth.ts) in front of graphql-ws on one socket.
 * graphql-ws parses every message and walks what it holds: a ping's payload is echoed through
 * JSON.stringify, which overflows the stack at a few thousand levels (the socket was closed 4500
 * with the RangeError as its reason, and its stack printed to the console), and a subscription
 * ran, and held, whatever nested in its variables or extensions. A message nested deeper is
 * closed with SOCKET_CLOSE.messageTooDeep and never reaches graphql-ws.
 *
 * Called on 'connection' after graphql-ws's own listener there, which has added its message
 * listener: that listener is moved behind the check, as the only way to keep a message from it.
 */
export function refuseDeepMessages(socket: WebSocket): void {
  const readers = socket.listeners('message') as MessageListener[];
  socket.removeAllListeners('message');
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (nestsDeeperThan(bytesOf(data))) {
      const { code, reason } = SOCKET_CLOSE.messageTooDeep;
      return socket.close(code, reason);
    }
    for (const read of readers) read.call(socket, data, isBinary);
  });
}

/** ws hands a message over as one Buffer by default; fragments and ArrayBuffers for other binaryTypes. */
function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
