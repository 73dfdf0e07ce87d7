import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../database/prisma-errors.js';
import { sentenceOf } from './input-rules.js';
import type { Logger } from '../logging/logger.js';

/** What a client is told to wait before retrying when a store of ours cannot be reached. */
export const RETRY_AFTER_SECONDS = 5;

// NATS client errors of a connection that is away or a server that did not answer.
const NATS_UNAVAILABLE = new Set(['ClosedConnectionError', 'NoRespondersError', 'RequestError']);

/**
 * True when `error` says a store (the context's database, NATS) cannot be reached right now: a
 * retry will do, nothing is broken. Such errors reach clients as SERVICE_UNAVAILABLE.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (NATS_UNAVAILABLE.has(current.name) || current.constructor.name === 'TimeoutError') return true;
    if (current !== error && isDatabaseUnavailable(current)) return true;
    // Apollo wraps what a context function or plugin threw as a GraphQLError's originalError.
    current = (current as Error & { originalError?: unknown }).originalError ?? current.cause;
  }
  return false;
}

export function serviceUnavailable(): GraphQLError {
  return new GraphQLError('This service is briefly unavailable; please retry shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS },
  });
}

/**
 * A rule of the domain said no. Domain errors carry a stable `code` in the ubiquitous language
 * (EMAIL_TAKEN, PRODUCT_NOT_ON_SALE, …), which becomes `extensions.code` for clients.
 */
export interface CodedError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export const isCodedError = (error: unknown): error is CodedError => {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code);
};

/**
 * Arguments refused by their schema (`parseArgs`): each issue a sentence naming its field and the
 * rule (`ruleBroken`: "title must be at most 100 characters."), the first one the message.
 */
export function badUserInput(error: ZodError): GraphQLError {
  const issues = error.issues.map((i) => ({ field: i.path.join('.'), message: sentenceOf(i) }));
  const first = issues[0];
  return new GraphQLError(first?.message ?? 'The input is not valid.', {
    extensions: { code: 'BAD_USER_INPUT', field: first?.field ?? '', issues },
  });
}

export function unauthenticated(message = 'Sign in first.'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/**
 * Apollo `formatError`: domain errors keep their code and message; a store that cannot be reached
 * is SERVICE_UNAVAILABLE with `retryAfterSeconds`; anything unexpected is logged in full and
 * reaches the client as INTERNAL_SERVER_ERROR without internals (stack, SQL, paths).
 */
export function createErrorFormatter(logger: Logger, exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // Before coded errors: a refused connection carries a code too (ECONNREFUSED), not a domain one.
    if (isStoreUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, 'store unavailable');
      const { message, extensions } = serviceUnavailable();
      return { message, ...(formatted.path ? { path: formatted.path } : {}), extensions };
    }
    if (isCodedError(original)) {
      return {
        ...formatted,
        message: original.message,
        extensions: { ...original.details, code: original.code },
      };
    }
    const code = formatted.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && isStackOverflow(error))
      return {
        ...withoutStack(formatted),
        message: 'Syntax Error: the document nests too deeply to be read.',
      };
    if (code && code !== 'INTERNAL_SERVER_ERROR') return withoutStack(formatted);
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    if (exposeInternals) return formatted;
    return {
      message: 'Something went wrong on our side; please try again.',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * graphql-js parses recursively: literals or selections nested some thousands deep (within the
 * gateway's 5,000 tokens; the subgraphs set no token bound, as the gateway's plans may exceed a
 * client's) overflow the stack, and Apollo answers GRAPHQL_PARSE_FAILED with the RangeError's text.
 */
function isStackOverflow(error: unknown): boolean {
  // Apollo's SyntaxError wraps a GraphQLError wrapping what parse threw.
  for (let cause = error; cause instanceof Error; cause = (cause as GraphQLError).originalError)
    if (cause instanceof RangeError && /call stack/i.test(cause.message)) return true;
  return false;
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
