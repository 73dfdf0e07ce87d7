import { createClient, type Client } from 'graphql-ws';

export type LiveStatus = 'connecting' | 'connected' | 'closed';

/**
 * The graphql-ws connection to the gateway. It does not retry by itself: a closed socket ends the
 * subscription, and the subscriber re-subscribes with its last cursor (`after`) so the gateway
 * replays what was missed. The token goes in `connection_init` and is fetched fresh for every
 * connection (the gateway closes the socket when the token expires).
 */
export class LiveSocket {
  readonly client: Client;
  private status: LiveStatus = 'closed';
  private readonly listeners = new Set<(status: LiveStatus) => void>();

  constructor(url: string, accessToken: () => Promise<string | undefined>) {
    this.client = createClient({
      url,
      lazy: true,
      retryAttempts: 0,
      connectionParams: async () => {
        const token = await accessToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      on: {
        connecting: () => this.setStatus('connecting'),
        connected: () => this.setStatus('connected'),
        closed: () => this.setStatus('closed'),
      },
    });
  }

  current(): LiveStatus {
    return this.status;
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    void this.client.dispose();
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}

/** ws(s)://<this origin>/graphql: the gateway serves the page and the API on one origin. */
export const websocketUrl = (location: Location) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
