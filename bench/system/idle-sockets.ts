import WebSocket from 'ws';

/** Each source address has about 28,000 ephemeral ports (32768–60999) to connect from. */
export const LOOPBACK_SOURCES = Array.from({ length: 8 }, (_, k) => `127.0.0.${k + 1}`);
const OPENING_AT_ONCE = 200;

/**
 * Many graphql-ws clients (the graphql-transport-ws protocol, spoken directly: a library client
 * per socket would weigh more than the sockets measured). Connections are spread over several
 * loopback source addresses, so 50,000 of them fit in the ephemeral port range.
 */
export class IdleSockets {
  private readonly sockets: WebSocket[] = [];

  constructor(
    private readonly url: string,
    private readonly sources: readonly string[] = LOOPBACK_SOURCES,
  ) {}

  /** Opens one subscribed socket per token; resolves with how many were acknowledged. */
  async open(tokens: string[], query: string, onNext?: (data: unknown) => void): Promise<number> {
    let subscribed = 0;
    for (let start = 0; start < tokens.length; start += OPENING_AT_ONCE) {
      const batch = tokens.slice(start, start + OPENING_AT_ONCE);
      const results = await Promise.all(
        batch.map((token, index) =>
          this.openOne(token, query, this.sources[(start + index) % this.sources.length]!, onNext),
        ),
      );
      subscribed += results.filter(Boolean).length;
    }
    return subscribed;
  }

  private openOne(
    token: string,
    query: string,
    localAddress: string,
    onNext?: (data: unknown) => void,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url, 'graphql-transport-ws', { localAddress });
      this.sockets.push(socket);
      const timer = setTimeout(() => resolve(false), 60_000);
      socket.on('open', () =>
        socket.send(
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
        ),
      );
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as { type: string; payload?: { data?: unknown } };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
          // graphql-ws acknowledges a subscription only by its first frame: the socket is live now.
          setTimeout(() => {
            clearTimeout(timer);
            resolve(true);
          }, 0);
        } else if (message.type === 'next') onNext?.(message.payload?.data);
        else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      });
      socket.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(1000);
          }),
      ),
    );
    this.sockets.length = 0;
  }
}
