import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { MAX_JSON_DEPTH } from './json-depth.js';
import { MAX_VARIABLES, sendsTooManyVariables } from './variable-count.js';

/** Why a 400 was given, where the client is told more than "malformed". */
export type RefusalReason = 'not-json' | 'not-utf8' | 'too-deep' | 'encoding' | 'too-many-variables';

/** What a client is told per status: never the error's own message, which may name a file path. */
const MESSAGES: Record<number, string> = {
  400: 'The request is malformed.',
  403: 'This is not allowed.',
  404: 'There is nothing here.',
  405: 'This method is not allowed here.',
  408: 'The request took too long to arrive; send it again.',
  413: 'The request body is too large.',
  415: 'This content type is not supported.',
  431: 'The request headers are too large.',
};

/**
 * Where a client can act on the difference (resend, send smaller headers, stop: not allowed);
 * BAD_REQUEST otherwise. FORBIDDEN is also what a subgraph's 403 becomes at the gateway.
 */
const CODES: Record<number, string> = {
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
};

/** body-parser's error types a client is told more about than its status says. */
const REASONS: Record<string, RefusalReason | undefined> = {
  'entity.parse.failed': 'not-json',
  'entity.not.utf8': 'not-utf8',
  'entity.too.deep': 'too-deep',
  // A 415 for the Content-Encoding (`gzip, gzip`, an unknown one), not the Content-Type.
  'encoding.unsupported': 'encoding',
};

/**
 * Express's last error handler: answers in GraphQL's error shape instead of Express's HTML page
 * (which would echo a stack trace). A body that is not JSON, or too large, is the client's fault.
 * The message is ours, never the error's: `send` and `serve-static` put absolute paths in theirs.
 */
export function jsonErrorHandler(logger: Logger) {
  return (
    error: Error & { status?: number; type?: string },
    _req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
    const reason = REASONS[error.type ?? ''];
    res.status(status).json(refusalOf(status, reason));
  };
}

/**
 * After Express's JSON parser, before anything walks the values: a body sending more than
 * MAX_VARIABLES variables is a 400 TOO_MANY_VARIABLES (variable-count.ts), as a subgraph answers it.
 */
export function refusingManyVariables(req: Request, res: Response, next: NextFunction): void {
  if (!sendsTooManyVariables(req.body)) return next();
  res.status(400).json(refusalOf(400, 'too-many-variables'));
}

/** The methods some route of ours serves; any other is refused 405 wherever it is sent. */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST'];

/**
 * The last of every app's handlers (before jsonErrorHandler): a request no route answered. Left to
 * Express it would get an HTML page ("Cannot POST /foo"). A method none of our routes serves
 * (TRACE, PUT, `OPTIONS *`…) is a 405 naming the ones served; any other a 404 NOT_FOUND.
 */
export function refusingUnrouted(req: Request, res: Response): void {
  if (SERVED_METHODS.includes(req.method)) {
    res.status(404).json(refusalOf(404));
    return;
  }
  res.setHeader('allow', SERVED_METHODS.join(', '));
  res.status(405).json(refusalOf(405));
}

/** The methods `/graphql` serves: GET for queries, POST for any operation (Apollo Server's two). */
export const GRAPHQL_METHODS = ['GET', 'POST'];

/**
 * A 405 naming the methods `/graphql` serves, answered before Apollo sees the request: Apollo's CSRF
 * check comes before its method check, so a PUT without a content type was a 400 CSRF refusal,
 * and one with JSON a 405 — the same request refused two ways. Written on Node's response, so both
 * the gateway (Express) and the subgraphs (Node's server) answer it.
 */
export function refuseGraphqlMethod(res: ServerResponse): void {
  const refusal = JSON.stringify(refusalOf(405));
  res.writeHead(405, {
    allow: GRAPHQL_METHODS.join(', '),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(refusal),
  });
  res.end(refusal);
}

/** The GraphQL-shaped answer for an HTTP status (the body of a request refused before GraphQL). */
export function refusalOf(status: number, reason?: RefusalReason): { errors: unknown[] } {
  if (reason === 'too-deep')
    return {
      errors: [
        {
          message: `The request nests objects or arrays more than ${MAX_JSON_DEPTH} deep.`,
          extensions: { code: 'JSON_TOO_DEEP', maxDepth: MAX_JSON_DEPTH },
        },
      ],
    };
  if (reason === 'too-many-variables')
    return {
      errors: [
        {
          message: `The request sends more than ${MAX_VARIABLES} variables.`,
          extensions: { code: 'TOO_MANY_VARIABLES', maxVariables: MAX_VARIABLES },
        },
      ],
    };
  const message =
    reason === 'not-json'
      ? 'The request body is not valid JSON.'
      : reason === 'not-utf8'
        ? 'The request body is not valid UTF-8.'
        : reason === 'encoding'
          ? 'This content encoding is not supported.'
          : status >= 500
            ? 'Something went wrong on our side; please try again.'
            : (MESSAGES[status] ?? 'The request cannot be served.');
  return {
    errors: [
      {
        message,
        extensions: { code: refusalCodeOf(status) },
      },
    ],
  };
}

/** The code refusalOf(status) carries when no reason says more: what a bare status is counted as. */
export function refusalCodeOf(status: number): string {
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : (CODES[status] ?? 'BAD_REQUEST');
}
