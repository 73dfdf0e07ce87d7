import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers: a status, a content type (none if absent), a body. */
export interface StandInAnswer {
  status: number;
  contentType?: string;
  body: string;
}

/**
 * One server standing where a subgraph — or a proxy in front of it — would be: every request is
 * answered with `next`, as the test last set it, its body read first as a proxy would.
 */
export class StandInSubgraph {
  next: StandInAnswer = { status: 200, contentType: 'application/json', body: '{"data":null}' };

  private constructor(private readonly server: Server) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const { status, contentType, body } = this.next;
        res.writeHead(status, contentType ? { 'content-type': contentType } : {});
        res.end(body);
      });
    });
  }

  static async start(): Promise<StandInSubgraph> {
    const standIn = new StandInSubgraph(createServer());
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Whatever keep-alive connection a caller still holds is not to keep the test waiting.
    this.server.closeAllConnections();
    return closed;
  }
}
