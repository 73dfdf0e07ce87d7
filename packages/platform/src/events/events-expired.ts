/**
 * The stream no longer holds events a reader asked for (removed by its limits, purged, or more
 * than a resuming client may replay): the reader cannot hand them over and says so instead of
 * passing over them. Clients get `EVENTS_EXPIRED` and reload what they show.
 */
export class EventsExpired extends Error {
  readonly code = 'EVENTS_EXPIRED';

  constructor(
    /** The first sequence asked for that cannot be handed over. */
    readonly from: number,
    /** The first sequence that can still be read, or null if none before the end of the range. */
    readonly firstAvailable: number | null,
    reason = 'the stream no longer holds them',
  ) {
    super(`Events from ${from} can no longer be replayed (${reason}); reload to catch up.`);
    this.name = 'EventsExpired';
  }

  /** For `extensions` of a GraphQL error. */
  get details(): Record<string, unknown> {
    return {
      from: String(this.from),
      firstAvailable: this.firstAvailable === null ? null : String(this.firstAvailable),
    };
  }
}
