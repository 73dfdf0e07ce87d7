/**
 * Closes in a row on a token the refresh cookie then renewed, after which a refusal (4403) is
 * believed over the cookie and the session ends here.
 */
export const MAX_REFUSALS_IN_A_ROW = 3;

/** A socket that stayed up this long was accepted: the closes before it are no longer in a row. */
export const STEADY_CONNECTION_MS = 30_000;

export type AfterRenewal = 'reconnect-at-once' | 'back-off' | 'end-session';

/**
 * What a subscriber does once the refresh cookie has renewed a token the gateway closed the socket
 * on — 4401 (expired) or 4403 (refused). The first renewal reconnects at once: that is the routine
 * case (a token expiring on an open socket). A second in a row waits its turn with backoff: a fresh
 * token should have been accepted. And a gateway that keeps accepting the socket and then refusing
 * the session, while the cookie keeps renewing it, would otherwise be reconnected to for ever: the
 * third such refusal ends the session, and the page asks the member to log in again. An expired
 * token never ends it (a clock far off on either side keeps failing, and logging in again would
 * not mend it): that only backs off.
 */
export class TokenRenewals {
  private inARow = 0;
  private connectedAt: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The socket was accepted (connection_ack). */
  connected(): void {
    this.connectedAt = this.now();
  }

  renewed(after: 'expired' | 'refused'): AfterRenewal {
    const steady = this.connectedAt !== undefined && this.now() - this.connectedAt >= STEADY_CONNECTION_MS;
    if (steady) this.inARow = 0;
    this.connectedAt = undefined;
    this.inARow += 1;
    if (after === 'refused' && this.inARow >= MAX_REFUSALS_IN_A_ROW) return 'end-session';
    return this.inARow === 1 ? 'reconnect-at-once' : 'back-off';
  }
}
