import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logging/logger.js';
import { refusingConnect, requiringHost, withoutNodesOwnRefusals } from './protocol-refusals.js';
import { refusalCodeOf } from './json-errors.js';
import { refuseOnSocket } from './raw-refusal.js';
import { boundedRequests, type RequestTimeouts } from './request-timeouts.js';
import { websocketUpgradesOnly } from './websocket-upgrades-only.js';

/** What Node's parser and timers report, and the status each is answered with (400 otherwise). */
const STATUS_OF: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/**
 * Every HTTP server of ours, the gateway's and each subgraph's: receiving a request is bounded in
 * time (request-timeouts.ts), and what Node refuses before any handler runs (a request too slow,
 * headers over 16 KB, bytes that are not HTTP, CONNECT, an HTTP/1.1 request without Host or with two) is
 * answered in GraphQL's error shape, like every other refusal of ours, instead of Node's bare
 * status line or silent close (docs/security.md, "HTTP hygiene"). Each such refusal is told to
 * `refused` with the code its client reads, as no handler of ours sees it to count it.
 */
export function createHttpServer(
  handler: RequestListener,
  options: { timeouts?: RequestTimeouts; logger: Logger; refused?: RefusalCounter },
): Server {
  const refused = options.refused ?? (() => undefined);
  const answering = requiringHost(handler, refused);
  const server: Server = createServer(
    {
      ...boundedRequests(options.timeouts),
      ...withoutNodesOwnRefusals,
      ...websocketUpgradesOnly(() => server),
    },
    (req, res) => {
      // An answer finished before its request's body ended (a route that reads no body, a refusal):
      // Node reads the rest of the body off the connection after it. Remembered on the socket, so
      // that the request timeout, if that rest is too slow, does not answer the same request twice.
      res.once('finish', () => {
        if (!req.complete) (req.socket as HttpSocket)[ANSWERED_EARLY] = req;
      });
      answering(req, res);
    },
  );
  answerClientErrors(server, options.logger, refused);
  refusingConnect(server, refused); // and a missing Host: Node's two silent refusals (protocol-refusals.ts)
  return server;
}

/** Told the code of each request refused before any handler (`countingRefusalsBeforeHandlers`). */
export type RefusalCounter = (code: string) => void;

const ANSWERED_EARLY = Symbol('a request answered before its body ended');

/** `_httpMessage`: the answer Node has given the socket (the first of any pipelined), until it finishes. */
type HttpSocket = Socket & {
  _httpMessage?: ServerResponse | null;
  [ANSWERED_EARLY]?: IncomingMessage;
};

function answerClientErrors(server: Server, logger: Logger, refused: RefusalCounter): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: HttpSocket) => {
    // With a listener, Node neither answers nor closes: both are ours to do, always. A refusal
    // written into an answer under way would corrupt it. Node's own handler checks the answer on
    // the socket (not the last request's: pipelined answers queue behind the one being sent) for
    // `_headerSent`; `headersSent` is also true once `writeHead` ran, the safer of the two.
    const underWay = socket._httpMessage?.headersSent === true;
    // The request is still arriving but was answered whole already: a 408 now would be a second
    // answer, which a client would read as the answer to its next request.
    const answered = socket[ANSWERED_EARLY]?.complete === false;
    // Nothing sent, nothing asked: a browser's preconnect it never used, not a request to refuse.
    const unused = socket.bytesRead === 0;
    if (error.code === 'ECONNRESET' || !socket.writable || underWay || answered || unused) {
      logger.debug({ code: error.code }, 'client connection closed on an error');
      socket.destroy();
      return;
    }
    const status = STATUS_OF[error.code ?? ''] ?? 400;
    // The client's mistake, not ours: info, never error (an alert would page us for a scanner).
    logger.info({ code: error.code, status }, 'malformed or too slow HTTP request refused');
    refuseOnSocket(socket, status);
    refused(refusalCodeOf(status));
  });
}
