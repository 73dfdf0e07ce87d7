/**
 * Refusals (4403) in a row of a token the refresh cookie then renewed, each on a socket the gateway
 * had acknowledged, after which the gateway is believed over the cookie and the session ends here.
 */
export const MAX_REFUSALS_IN_A_ROW = 3;

/** A socket that stayed up this long was accepted: the closes before it are no longer in a row. */
export const STEADY_CONNECTION_MS = 30_000;

export type AfterRenewal = 'reconnect-at-once' | 'back-off' | 'end-session';

/**
 * What a subscriber does once the refresh cookie has renewed a token the gateway closed the socket
 * on — 4401 (expired) or 4403 (refused). The first renewal reconnects at once: that is the routine
 * case (a token expiring on an open socket). A second close in a row waits its turn with backoff: a
 * fresh token should have been accepted. A gateway that keeps acknowledging the socket and then
 * refusing the session, while the cookie keeps renewing it, would otherwise be reconnected to for
 * ever: the third such 4403 ends the session, and the page asks the member to log in again.
 *
 * Only a 4403 after `connection_ack` counts. A fresh token refused at `connection_init` is most
 * likely the gateway's own failing — a clock ahead of the member's, keys it has not fetched yet
 * after a rotation — and logging in again would not mend it; nor would it mend an expired token
 * (4401) refused again and again. Those only back off.
 */
export class TokenRenewals {
  private closesInARow = 0;
  private refusalsInARow = 0;
  /** When the gateway acknowledged the socket now open or last closed; undefined while it has not. */
  private acknowledgedAt: number | undefined;
  /** When the cookie last renewed the token, if no socket has been acknowledged since. */
  private renewedAt: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** A new socket is being opened: until its connection_ack, a refusal is not one after acknowledgement. */
  connecting(): void {
    this.settle();
  }

  /** The socket was accepted (connection_ack). */
  connected(): void {
    this.acknowledgedAt = this.now();
    this.renewedAt = undefined;
  }

  /**
   * Whether to ask the refresh cookie again for the token the gateway closed on. Not while a token
   * the cookie renewed less than STEADY_CONNECTION_MS ago has never had a socket acknowledged: that
   * token was fresh, and the gateway refusing it at connection_init (keys it cannot fetch, a clock
   * ahead) would otherwise rotate the refresh token on every attempt of every open page. The
   * subscriber backs off with the token it has; a revoked session is still found out, by the first
   * confirmation and by the next one a steady interval later.
   */
  mayRenew(): boolean {
    return this.renewedAt === undefined || this.now() - this.renewedAt >= STEADY_CONNECTION_MS;
  }

  renewed(after: 'expired' | 'refused'): AfterRenewal {
    const acknowledged = this.acknowledgedAt !== undefined;
    this.settle();
    this.renewedAt = this.now();
    this.closesInARow += 1;
    if (after === 'refused' && acknowledged) this.refusalsInARow += 1;
    if (this.refusalsInARow >= MAX_REFUSALS_IN_A_ROW) return 'end-session';
    return this.closesInARow === 1 ? 'reconnect-at-once' : 'back-off';
  }

  /** The socket is done with: had it stayed up, the closes before it are no longer in a row. */
  private settle(): void {
    if (this.acknowledgedAt !== undefined && this.now() - this.acknowledgedAt >= STEADY_CONNECTION_MS) {
      this.closesInARow = 0;
      this.refusalsInARow = 0;
    }
    this.acknowledgedAt = undefined;
  }
}
