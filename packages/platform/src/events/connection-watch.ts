import type { NatsConnection, Status } from '@nats-io/transport-node';

/**
 * Whether a NATS connection is up, kept from its status events. Readers use it to drop a consumer
 * the moment NATS goes away, to send no request while it is away (a request sent then waits out
 * its whole timeout), and to retry the moment it returns instead of when a back-off runs out.
 */
export class ConnectionWatch {
  private up = true;
  private readonly changes = new Set<(up: boolean) => void>();

  constructor(nc: NatsConnection) {
    void this.watch(nc);
  }

  get connected(): boolean {
    return this.up;
  }

  /** Calls `listener` on each loss (false) and return (true) of the connection, until it unsubscribes. */
  onChange(listener: (up: boolean) => void): () => void {
    this.changes.add(listener);
    return () => void this.changes.delete(listener);
  }

  /** Resolves once the connection is up (at once if it is), or when `signal` aborts. */
  async whenConnected(signal?: AbortSignal): Promise<void> {
    if (this.up || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        unsubscribe();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const unsubscribe = this.onChange((up) => up && done());
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status() as AsyncIterable<Status>) {
      const up =
        status.type === 'reconnect'
          ? true
          : status.type === 'disconnect' || status.type === 'staleConnection'
            ? false
            : this.up;
      if (up === this.up) continue;
      this.up = up;
      for (const listener of [...this.changes]) listener(up);
    }
  }
}
