import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '@gaji/testkit';

/**
 * A tiny TCP proxy on a fixed loopback port standing for a Kubernetes Service: new connections go
 * to the current target; switching the target leaves open connections where they are (the old
 * instance drains them as it shuts down), exactly as endpoints change in a rolling update.
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
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.refused += 1;
      close();
    });
    client.once('error', close);
    client.once('close', close);
    upstream.once('close', close);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
