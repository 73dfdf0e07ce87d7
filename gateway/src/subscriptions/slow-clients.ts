import type { GraphQLError } from 'graphql';
import { WebSocket } from 'ws';
import { SOCKET_CLOSE } from './socket-close.js';

/**
 * How long a socket closed for being too far behind may take to read its close frame (queued
 * behind the frames it left unread) before it is cut: until it closes, the frames stay in memory.
 */
const GRACE_MS = 2_000;

/**
 * Whether a subscription's frames waiting behind the one being written weigh, at its admitted cost
 * each (at least 1), more than its socket may hold open (`maxCost`, the live cost budget): at most
 * about 5.6 MB wait for a subscription. Weighed, not counted: a replay of small frames to a client
 * reading at its own pace may run thousands ahead of it, a few large ones are already too many.
 */
export const tooManyWaiting = (frames: number, cost: number, maxCost: number): boolean =>
  frames * Math.max(cost, 1) > maxCost;

/**
 * Closes a socket whose client is not reading what it is sent, and answers whether it did: one
 * holding more than `maxQueuedBytes` unread — ws's `bufferedAmount`, what Node and ws hold once the
 * kernel's buffers are full (counted in characters for text frames, so up to three bytes each) —
 * when another frame is about to join them (onNext), or one with too many frames of a subscription
 * waiting behind (`tooManyWaiting`; graphql-ws writes a subscription's frames one at a time, the
 * next when the last has reached the kernel). A client that stops reading (a frozen tab, a hostile
 * one) otherwise has the gateway keep every frame of every event for it. Closed (4413) rather than
 * frames dropped: a subscription with a hole in its updates would be wrong without knowing it, while
 * a client told to reconnect resumes from its last cursor and misses nothing.
 */
export function closeIfTooFarBehind(socket: WebSocket, maxQueuedBytes: number, tooMany = false): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  if (socket.bufferedAmount <= maxQueuedBytes && !tooMany) return false;
  socket.close(SOCKET_CLOSE.tooFarBehind.code, SOCKET_CLOSE.tooFarBehind.reason);
  setTimeout(() => socket.terminate(), GRACE_MS).unref();
  return true;
}

/** Node's errors for a write to a connection the client has gone from. */
const GONE = new Set([
  'ECANCELED',
  'EPIPE',
  'ECONNRESET',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/**
 * A frame graphql-ws could not write because its client is gone (`write ECANCELED` when a socket
 * closes with frames queued): the client's doing, not the gateway's, and nobody is left to tell.
 */
export function clientGone(socket: WebSocket, errors: readonly GraphQLError[]): boolean {
  if (socket.readyState !== WebSocket.OPEN) return true;
  return errors.some((error) => {
    const code = (error.originalError as NodeJS.ErrnoException | undefined)?.code;
    return code !== undefined && GONE.has(code);
  });
}
