import type { Client, Sink, SubscribePayload } from 'graphql-ws';

export type LiveStatus = 'connecting' | 'connected' | 'closed';

/**
 * The graphql-ws connection to the gateway, opened on the first subscription (graphql-ws itself is
 * loaded only then: the market never needs it). It does not retry by itself: a closed socket ends
 * the subscription, and the subscriber re-subscribes (My Page with its last cursor, so the gateway
 * replays what was missed). The token goes in `connection_init` and is fetched fresh for every
 * connection (the gateway closes the socket when the token expires); without one the socket is
 * anonymous and may follow public fields only (a product's status).
 */
export class LiveSocket {
  private client: Promise<Client> | undefined;
  private status: LiveStatus = 'closed';
  private readonly listeners = new Set<(status: LiveStatus) => void>();

  constructor(
    private readonly url: string,
    private readonly accessToken: () => Promise<string | undefined>,
  ) {}

  current(): LiveStatus {
    return this.status;
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe(payload: SubscribePayload, sink: Sink): () => void {
    let cancelled = false;
    let dispose: (() => void) | undefined;
    this.connect().then(
      (client) => {
        if (!cancelled) dispose = client.subscribe(payload, sink);
      },
      (error: unknown) => sink.error(error),
    );
    return () => {
      cancelled = true;
      dispose?.();
    };
  }

  dispose(): void {
    void this.client?.then((client) => client.dispose());
  }

  private connect(): Promise<Client> {
    this.client ??= import('graphql-ws').then(({ createClient }) =>
      createClient({
        url: this.url,
        lazy: true,
        retryAttempts: 0,
        connectionParams: async () => {
          const token = await this.accessToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
        on: {
          connecting: () => this.setStatus('connecting'),
          connected: () => this.setStatus('connected'),
          closed: () => this.setStatus('closed'),
        },
      }),
    );
    return this.client;
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}

/** ws(s)://<this origin>/graphql: the gateway serves the page and the API on one origin. */
export const websocketUrl = (location: Location) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
