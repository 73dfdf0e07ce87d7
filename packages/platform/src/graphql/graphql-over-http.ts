import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { refusalOf } from '../http/json-errors.js';
import type { Logger } from '../logging/logger.js';

/** The largest request body accepted (a GraphQL operation and its variables). */
export const GRAPHQL_BODY_LIMIT = 1024 * 1024;

/** `/graphql`, with or without a trailing slash or a query string (a GET operation). */
export function isGraphqlPath(url: string | undefined): boolean {
  if (!url) return false;
  const end = url.indexOf('?');
  const path = end < 0 ? url : url.slice(0, end);
  return path === '/graphql' || path === '/graphql/';
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly notJson = false,
  ) {
    super(`refused with ${status}`);
  }
}

/**
 * Apollo Server answering `/graphql` straight on Node's HTTP server: the body read and parsed
 * here, then `executeHTTPGraphQLRequest` — what the Express integration does, without Express's
 * router, body-parser and `res.send` around it (a quarter of a subgraph's CPU on the product page,
 * docs/performance.md). The same answers: a JSON body is parsed when the content type says JSON
 * (otherwise Apollo refuses the request, as it refuses a CSRF-prone one); a body over 1 MB is a
 * 413, one that is not JSON a 400, a compressed one a 415 — each in GraphQL's error shape.
 */
export function graphqlOverHttp<C extends BaseContext>(
  apollo: ApolloServer<C>,
  contextOf: (req: IncomingMessage) => Promise<C>,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const body = await readBody(req);
      const headers = new HeaderMap();
      for (const key in req.headers) {
        const value = req.headers[key];
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: (req.method ?? 'GET').toUpperCase(),
          headers,
          search: query < 0 ? '' : url.slice(query),
          body,
        },
        context: () => contextOf(req),
      });
      for (const [key, value] of answer.headers) res.setHeader(key, value);
      res.statusCode = answer.status ?? 200;
      if (answer.body.kind === 'complete') {
        res.setHeader('content-length', Buffer.byteLength(answer.body.string));
        res.end(answer.body.string);
        return;
      }
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (req.destroyed && !(error instanceof Refusal)) return; // the client left mid-request
      const status = error instanceof Refusal ? error.status : 500;
      if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const refusal = JSON.stringify(refusalOf(status, error instanceof Refusal && error.notJson));
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(refusal),
        // The rest of a refused body is not read: this connection cannot carry another request.
        ...(error instanceof Refusal && !req.complete ? { connection: 'close' } : {}),
      });
      res.end(refusal);
    }
  };
}

/**
 * The parsed JSON body, or undefined when the content type is not JSON (Apollo then answers 400,
 * as it does for a GET without a query). Like Express's `json()`: only an object or an array.
 */
async function readBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST' || !isJson(req.headers['content-type'])) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new Refusal(415);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > GRAPHQL_BODY_LIMIT) throw new Refusal(413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > GRAPHQL_BODY_LIMIT) throw new Refusal(413);
    chunks.push(chunk);
  }
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
  if (text.trim() === '') return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new Refusal(400, true);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, true);
  }
}

/** `application/json`, with or without parameters (charset), any case. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const end = contentType.indexOf(';');
  return (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === 'application/json';
}
