import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '@gaji/testkit';

/**
 * A tiny TCP proxy on a fixed loopback port standing for a Kubernetes Service: new connections go
 * to the current target; switching the target leaves open connections where they are (the old
 * instance drains them as it shuts down), exactly as endpoints change in a rolling update.
 * The old instance retires them itself: while draining it answers with `Connection: close`.
 */
export class TcpProxy {
  private target = 0;
  private readonly sockets = new Set<Socket>();
  /** Connections refused because the target did not answer. */
  refused = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TcpProxy> {
    const port = await freePort();
    const server = createServer();
    const proxy = new TcpProxy(server, port);
    server.on('connection', (client) => proxy.forward(client));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  routeTo(port: number): void {
    this.target = port;
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    // Bytes both ways, and an end (FIN) passed on as an end — never a destroy that could drop an
    // answer still buffered, e.g. the last one an instance sends with `Connection: close` before it
    // closes. A reset or an error resets the other side, as a kernel NAT (kube-proxy) passes it on.
    client.pipe(upstream);
    upstream.pipe(client);
    const relay = (from: Socket, to: Socket) =>
      from.once('close', (hadError) => {
        this.sockets.delete(from);
        if (hadError) to.resetAndDestroy();
        else to.end();
      });
    relay(client, upstream);
    relay(upstream, client);
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.refused += 1;
    });
    client.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
