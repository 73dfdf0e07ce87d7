import { bearerToken, type TokenVerifier } from '@gaji/platform/auth';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { singleResultContentType } from './answer-content-type.js';
import type { PublicWrites } from './cacheable-operation.js';
import { OperationMemo } from './operation-memo.js';
import type { PublicReadCache } from './public-read-cache.js';

interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * In front of Apollo on /graphql: a public read already answered since its last change is sent
 * from the cache without planning or calling a subgraph. A caller's token is still verified (a bad
 * one is refused by Apollo as before); limits were checked when the answer was first computed,
 * and an identical request meets them identically. A hit has the content type Apollo would give
 * the request's Accept (answer-content-type.ts). A miss goes through Apollo; its answer is
 * kept when it is a clean 200 of a cacheable operation (cacheable-operation.ts).
 */
export function responseCacheMiddleware(options: {
  cache: PublicReadCache;
  verifyToken: TokenVerifier;
  enabled: () => boolean;
  /** Hears every answer sent from the cache (Apollo, which observes the others, never sees these). */
  onHit?: (operationName: string | undefined, seconds: number) => void;
}): RequestHandler {
  const { cache, verifyToken } = options;
  const operations = new OperationMemo();
  const cachingFor = (query: string, operationName: string | undefined) =>
    operations.cachingFor(query, operationName);

  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as GraphQLBody | undefined;
    if (!options.enabled() || req.method !== 'POST' || typeof body?.query !== 'string') return next();
    // Apollo refuses such a body (400 BAD_REQUEST); answered from the entry of its text, it was a 200.
    if (!isWellFormed(body)) return next();
    // No operation is named "": Apollo refuses it, cached text or not (and the key below reads it as absent).
    if (body.operationName === '') return next();
    // A persisted-query request is refused by Apollo (persisted-queries.ts), cached text or not.
    if (asksForPersistedQuery(body)) return next();
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const variables = isRecord(body.variables) ? body.variables : undefined;
    // JSON.stringify recurses: safe because the body's nesting is bounded before it is parsed
    // (refusingDeepJson, MAX_JSON_DEPTH in the platform's json-depth.ts).
    const key = `${operationName ?? ''}\u0000${body.query}\u0000${variables ? JSON.stringify(variables) : ''}`;

    const cached = cache.get(key);
    // An Accept Apollo refuses (406) is Apollo's to answer, cached text or not.
    const contentType = singleResultContentType(req.headers.accept);
    if (cached !== undefined && contentType !== null) {
      const startedAt = performance.now();
      const hit = () => {
        send(res, cached, contentType);
        options.onHit?.(operationName, (performance.now() - startedAt) / 1000);
      };
      const authorization = req.headers.authorization;
      if (!authorization) return hit();
      const token = bearerToken(authorization);
      if (!token) return next();
      verifyToken(token).then(
        hit,
        () => next(), // Apollo refuses the token with its usual UNAUTHENTICATED answer
      );
      return;
    }

    const caching = cachingFor(body.query, operationName);
    const { writes } = caching;
    if (writes) {
      // Read your own writes: the change's event may reach us after the client's next read. Only a
      // mutation that wrote something clears: a refused one (no token, invalid, rate limited) or
      // `mutation { __typename }` did not, and let anyone keep the cache empty.
      const sendOriginal = res.send.bind(res);
      res.send = (payload: unknown) => {
        if (typeof payload === 'string' && someWriteRan(payload, writes))
          res.once('finish', () => cache.clear());
        return sendOriginal(payload);
      };
      return next();
    }
    const tags = caching.policy?.(variables);
    if (!tags) return next();
    const begunAt = cache.begin();
    const sendOriginal = res.send.bind(res);
    res.send = (payload: unknown) => {
      if (res.statusCode === 200 && typeof payload === 'string' && isCleanAnswer(payload))
        cache.set(key, payload, tags, begunAt);
      return sendOriginal(payload);
    };
    next();
  };
}

function send(res: Response, body: string, contentType: string): void {
  res.status(200).setHeader('content-type', contentType);
  res.setHeader('gaji-cache', 'hit');
  res.end(body);
}

/** Only complete answers are shared: one with errors (a subgraph away) is asked again next time. */
function isCleanAnswer(payload: string): boolean {
  try {
    const parsed = JSON.parse(payload) as { data?: unknown; errors?: unknown };
    return parsed.errors === undefined && parsed.data !== null && parsed.data !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether an answer shows a writing root field done (a value, not null). A field that failed after
 * writing (a buy whose sibling failed nulls `data`) is not seen here; the change's own event drops
 * the stale entries a moment later (cache-invalidation.ts).
 */
function someWriteRan(payload: string, writes: PublicWrites): boolean {
  try {
    const { data } = JSON.parse(payload) as { data?: Record<string, unknown> | null };
    if (!data) return false;
    return Object.entries(data).some(([key, value]) => value !== null && writes.has(key));
  } catch {
    return true; // not an answer we can read: clear, as before
  }
}

/** Read as Apollo reads it (`if (extensions?.persistedQuery)`): null or false asks for none. */
function asksForPersistedQuery(body: GraphQLBody): boolean {
  return isRecord(body.extensions) && Boolean(body.extensions.persistedQuery);
}

/**
 * The shape Apollo Server checks before anything else (runHttpQuery): `variables` and `extensions`
 * an object, `operationName` a string, each null or absent otherwise. Anything else is for Apollo
 * to refuse, never to be answered from the cache.
 */
function isWellFormed(body: GraphQLBody): boolean {
  const optional = (value: unknown, ok: (value: unknown) => boolean) =>
    value === undefined || value === null || ok(value);
  return (
    optional(body.variables, isRecord) &&
    optional(body.extensions, isRecord) &&
    optional(body.operationName, (name) => typeof name === 'string')
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
