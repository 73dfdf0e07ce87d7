import { MAX_JSON_DEPTH } from '@gaji/platform/http';

/** A close frame the gateway sends a graphql-ws client: the code is the contract, the reason is for people. */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/**
 * Every close the gateway itself sends, and what the client should do on each. The web client
 * mirrors the codes (web/src/graphql/live-link.ts; a unit test there holds the two together). The
 * reasons are fixed strings, so logs and tests can match them, but clients branch on the code.
 * graphql-ws sends its own protocol closes besides (4400 bad message, 4408 no connection_init,
 * 4409 duplicate id, 4429 second connection_init, 4500 internal error).
 */
export const SOCKET_CLOSE = {
  /**
   * The access token has expired — at `connection_init`, or while the socket was open. Nothing is
   * wrong with the session: refresh the token and reconnect at once.
   */
  tokenExpired: { code: 4401, reason: 'Token expired' },
  /**
   * The token in `connection_init` does not verify (garbage, forged, another audience…) or was
   * revoked. Never downgraded to anonymous; reconnecting with the same token gets the same answer.
   */
  tokenRefused: { code: 4403, reason: 'Forbidden' },
  /**
   * The token in `connection_init` could not be judged: member's signing keys cannot be loaded
   * (member away since the gateway started, or a kid it cannot fetch). Nothing is wrong with the
   * session — keep it and reconnect after a back-off (HTTP answers SERVICE_UNAVAILABLE, 503).
   */
  keysUnavailable: { code: 4503, reason: 'Service unavailable: try again shortly' },
  /** The member withdrew or this session logged out while the socket was open: sign in again. */
  sessionEnded: { code: 4403, reason: 'Forbidden: this session has ended' },
  /**
   * The gateway is stopping (a deploy, a scale-in). Not an error: reconnect at once — another
   * replica answers — and re-subscribe with `after: <last cursor>` (docs/operations.md, "Shutdown").
   */
  serviceRestart: { code: 1012, reason: 'Service restart: reconnect and resume' },
  /**
   * The client has left more than the socket's bound of frames unread (`WS_MAX_QUEUED_BYTES_PER_SOCKET`,
   * 4 MiB; slow-clients.ts): the gateway stops holding them for it. Like HTTP's 413 in graphql-ws's
   * numbering, and not one graphql-ws's client treats as fatal, so it reconnects (the web client
   * backs off); re-subscribe with `after: <last cursor>` to get what was dropped.
   */
  tooFarBehind: { code: 4413, reason: 'Too far behind: frames left unread; reconnect and resume with after' },
  /**
   * A message nesting JSON deeper than an HTTP body may (json-depth.ts): refused as graphql-ws
   * refuses any message it cannot read, with its code (4400), before graphql-ws reads it. A bug
   * in the client, not a reason to reconnect and send it again.
   */
  messageTooDeep: {
    code: 4400,
    reason: `Invalid message received: JSON nested more than ${MAX_JSON_DEPTH} deep`,
  },
} as const satisfies Record<string, SocketClose>;
