import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client as a browser app would use it: token in connection_init, one subscription. */
export class LiveClient {
  readonly received: Record<string, unknown>[] = [];
  readonly errors: unknown[] = [];
  closeCode?: number;
  closeReason?: string;
  /** The server acknowledged the connection (connection_ack). */
  connected = false;
  private readonly client: Client;
  private dispose?: () => void;

  constructor(url: string, token: string | undefined) {
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
      on: {
        connected: () => (this.connected = true),
        closed: (event) => {
          ({ code: this.closeCode, reason: this.closeReason } = event as { code?: number; reason?: string });
        },
      },
      onNonLazyError: (error) => this.errors.push(error),
    });
  }

  subscribe(query: string, variables: Record<string, unknown> = {}): this {
    this.dispose = this.client.subscribe(
      { query, variables },
      {
        next: (value) =>
          value.errors
            ? this.errors.push(value.errors)
            : this.received.push(value.data as Record<string, unknown>),
        error: (error) => this.errors.push(error),
        complete: () => undefined,
      },
    );
    return this;
  }

  async close(): Promise<void> {
    this.dispose?.();
    await this.client.dispose();
  }
}

export const PURCHASE_STATUS = `subscription ($after: String) {
  purchaseStatusChanged(after: $after) {
    cursor change occurredAt
    purchase { id status priceKrw product { title } buyer { nickname } seller { nickname } }
  }
}`;
