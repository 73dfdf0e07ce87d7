import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { closingAfter413, declaresOver, PayloadTooLarge } from '../http/body-limit.js';
import { nestsDeeperThan, searchNestsTooDeep } from '../http/json-depth.js';
import {
  GRAPHQL_METHODS,
  refuseGraphqlMethod,
  refusalCodeOf,
  refusalOf,
  type RefusalReason,
} from '../http/json-errors.js';
import { sendsTooManyVariables } from '../http/variable-count.js';
import type { Logger } from '../logging/logger.js';
import { countedByRequestPlugin, RESPONSE_OF_CONTEXT } from '../metrics/request-metrics.plugin.js';

/** The largest request body accepted (a GraphQL operation and its variables). */
export const GRAPHQL_BODY_LIMIT = 1024 * 1024;

/** `/graphql` (any case, as Express matched it), with or without a trailing slash or a query string. */
export function isGraphqlPath(url: string | undefined): boolean {
  if (!url) return false;
  const end = url.indexOf('?');
  const path = (end < 0 ? url : url.slice(0, end)).toLowerCase();
  return path === '/graphql' || path === '/graphql/';
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason?: RefusalReason,
  ) {
    super(`refused with ${status}`);
  }
}

/**
 * Apollo Server answering `/graphql` straight on Node's HTTP server: the body read and parsed
 * here, then `executeHTTPGraphQLRequest` — what the Express integration does, without Express's
 * router, body-parser and `res.send` around it (a quarter of a subgraph's CPU on the product page,
 * docs/performance.md). A JSON body is parsed when the content type says JSON (otherwise Apollo
 * refuses the request, as it refuses a CSRF-prone one); a body over 1 MB is a 413 closing the
 * connection (body-limit.ts), one that is
 * not UTF-8 or not JSON a 400, one nesting JSON deeper than MAX_JSON_DEPTH a 400 JSON_TOO_DEEP, one sending more than MAX_VARIABLES variables a 400 TOO_MANY_VARIABLES, a compressed one or one in a charset other than UTF-8 a 415 (Express inflated
 * gzip; nothing of ours sends it), a method other than GET or POST a 405 — each in GraphQL's error shape.
 */
export function graphqlOverHttp<C extends BaseContext>(
  apollo: ApolloServer<C>,
  /** The request, its parsed body and its search string (what names the operation). */
  contextOf: (request: { req: IncomingMessage; body: unknown; search: string }) => Promise<C>,
  logger: Logger,
  /** Wraps the execution: the answer is written when it returns (e.g. after the request's events went out). */
  answerWhen: <T>(execute: () => Promise<T>) => Promise<T> = (execute) => execute(),
  /** Told the code of each request refused here, before Apollo's request metrics plugin sees it. */
  refused: (code: string) => void = () => undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (!GRAPHQL_METHODS.includes(req.method ?? '')) {
      refuseGraphqlMethod(res);
      refused(refusalCodeOf(405));
      return;
    }
    let contextRefused = false;
    try {
      const body = await readBody(req);
      const headers = new HeaderMap();
      for (const key in req.headers) {
        const value = req.headers[key];
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const url = req.url ?? '';
      const query = url.indexOf('?');
      // What Apollo parses from a GET's query string is bounded as a body is (json-depth.ts).
      if (query >= 0 && searchNestsTooDeep(url.slice(query))) throw new Refusal(400, 'too-deep');
      const answer = await answerWhen(() =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: (req.method ?? 'GET').toUpperCase(),
            headers,
            search: query < 0 ? '' : url.slice(query),
            body,
          },
          context: async () => {
            try {
              const context = await contextOf({ req, body, search: query < 0 ? '' : url.slice(query) });
              // So the request metrics plugin marks this response as one it counts.
              return Object.assign(context, { [RESPONSE_OF_CONTEXT]: res });
            } catch (error) {
              contextRefused = true; // counted where the context is built (countingRefusals)
              throw error;
            }
          },
        }),
      );
      // Refused by Apollo before its plugins (a CSRF-prone content type, a batch, a body of the
      // wrong shape): no plugin counted it.
      if ((answer.status ?? 200) >= 400 && !contextRefused && !countedByRequestPlugin(res))
        refused(
          answer.body.kind === 'complete'
            ? (codeIn(answer.body.string) ?? refusalCodeOf(answer.status!))
            : refusalCodeOf(answer.status!),
        );
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
      const tooLarge = error instanceof PayloadTooLarge;
      const isRefusal = error instanceof Refusal || tooLarge;
      // The client left mid-request: nobody to answer. (Not `req.destroyed`: a request whose body
      // was read to its end is destroyed too, while its socket still waits for the answer.)
      const gone = res.destroyed || !res.socket || res.socket.destroyed;
      if (!isRefusal) logger[gone ? 'debug' : 'error']({ err: error }, 'unhandled HTTP error');
      if (gone) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = isRefusal ? error.status : 500;
      const body = refusalOf(status, error instanceof Refusal ? error.reason : undefined);
      const refusal = JSON.stringify(body);
      // A 500 is not counted here: it may follow an operation the request plugin counted already.
      if (isRefusal) refused(codeOf(body) ?? refusalCodeOf(status));
      // The rest of a body over the limit is not waited for: the connection closes after the 413.
      // Any other refused body's unread rest is discarded by Node before the connection's next request.
      if (tooLarge) closingAfter413(res);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(refusal),
      });
      res.end(refusal);
    }
  };
}

/**
 * The parsed JSON body, or undefined when the content type is not JSON (Apollo then answers 400,
 * as it does for a GET without a query). Like Express's `json()`: only an object or an array, a
 * UTF-8 byte-order mark ignored. A body over the limit is refused (PayloadTooLarge) as soon as its
 * declared length or its bytes received say so; its rest is never read into memory.
 */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type'];
  if (req.method !== 'POST' || !isJson(contentType)) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new Refusal(415, 'encoding');
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new Refusal(415);
  if (declaresOver(req, GRAPHQL_BODY_LIMIT)) throw new PayloadTooLarge(GRAPHQL_BODY_LIMIT);
  const bytes = await bodyOf(req);
  if (nestsDeeperThan(bytes)) throw new Refusal(400, 'too-deep');
  // Decoded leniently, a bad byte became U+FFFD: the client's text altered, never refused (json-depth.ts, NotUtf8).
  if (!isUtf8(bytes)) throw new Refusal(400, 'not-utf8');
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new Refusal(400, 'not-json');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'not-json');
  }
  if (sendsTooManyVariables(body)) throw new Refusal(400, 'too-many-variables');
  return body;
}

/**
 * The body's bytes, up to the limit. Read with listeners, not `for await`: leaving that loop early
 * destroys the request and its socket, and a 413 could no longer be answered.
 */
function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GRAPHQL_BODY_LIMIT) chunks.push(chunk);
      else settle(() => reject(new PayloadTooLarge(GRAPHQL_BODY_LIMIT)));
    };
    const onEnd = () => settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error('the client left before its request body ended')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** `application/json`, with or without parameters (charset), any case. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const end = contentType.indexOf(';');
  return (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === 'application/json';
}

function codeIn(json: string): string | undefined {
  try {
    return codeOf(JSON.parse(json) as { errors: unknown[] });
  } catch {
    return undefined;
  }
}

const codeOf = (body: { errors?: unknown[] }): string | undefined => {
  const code = (body.errors?.[0] as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
};
