import express, { type ErrorRequestHandler, type Request, type Router } from 'express';
import { bearerToken } from '../auth/access-token.js';
import { ServiceAuthenticationFailed, type ServiceTokenVerifier } from '../auth/service-identity.js';
import { bytesOf, withinBodyLimit } from './body-limit.js';
import { JsonTooDeep, MAX_JSON_DEPTH, NotUtf8, refusingDeepJson, UnsupportedCharset } from './json-depth.js';

type WithRawBody = Request & { rawBody?: Buffer };

/**
 * A router for internal routes: JSON bodies up to `bodyLimit`, and every request must carry a
 * service token signed for exactly this request by a service `verify` trusts (a member's access
 * token is refused). The calling service is in `res.locals.callerService`. Refusals are
 * `401 { code: 'SERVICE_UNAUTHENTICATED' }`, and, before the token is looked at, as at every
 * public edge (json-depth.ts): a body nesting deeper than MAX_JSON_DEPTH `400 { code:
 * 'JSON_TOO_DEEP', maxDepth }`, one in a charset other than UTF-8 `415 { code: 'UNSUPPORTED_CHARSET' }`,
 * a body over `bodyLimit` `413 { code: 'PAYLOAD_TOO_LARGE', limit }` with the connection closed
 * (as soon as its declared length or the bytes received say so: body-limit.ts), one that is not
 * UTF-8 or not JSON `400 { code: 'BAD_USER_INPUT' }`.
 */
export function internalRouter(verify: ServiceTokenVerifier, bodyLimit = '16kb'): Router {
  const router = express.Router();
  router.use(
    withinBodyLimit(
      bytesOf(bodyLimit),
      express.json({
        limit: bodyLimit,
        verify: (req, res, buffer, encoding) => {
          refusingDeepJson(req, res, buffer, encoding);
          (req as WithRawBody).rawBody = buffer;
        },
      }),
    ),
    refusingBody(bodyLimit),
  );
  router.use(async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    try {
      if (!token) throw new ServiceAuthenticationFailed('no token');
      res.locals.callerService = await verify(token, {
        method: req.method,
        path: req.originalUrl,
        body: (req as WithRawBody).rawBody,
      });
      next();
    } catch (error) {
      if (!(error instanceof ServiceAuthenticationFailed)) return next(error);
      res.status(401).json({
        code: 'SERVICE_UNAUTHENTICATED',
        message: 'Internal routes answer only to services that prove who they are.',
      });
    }
  });
  return router;
}

/**
 * Every body the router cannot read, answered here in the internal routes' `{ code, message }`
 * with the status the internal contracts give the code, so that no service's own last handler
 * turns a client's malformed body into a logged 500: refusingDeepJson's two refusals, and
 * body-parser's own (malformed JSON, too large, an encoding it cannot undo).
 */
function refusingBody(bodyLimit: string): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (error instanceof JsonTooDeep)
      res.status(error.status).json({
        code: 'JSON_TOO_DEEP',
        message: `The request nests objects or arrays more than ${MAX_JSON_DEPTH} deep.`,
        maxDepth: MAX_JSON_DEPTH,
      });
    else if (
      error instanceof UnsupportedCharset ||
      // body-parser's own: a charset it refuses before reading (latin1), an encoding it cannot undo.
      bodyParserType(error) === 'charset.unsupported' ||
      bodyParserType(error) === 'encoding.unsupported'
    )
      res.status(415).json({
        code: 'UNSUPPORTED_CHARSET',
        message: 'Send the body in UTF-8, uncompressed or gzip/deflate/br.',
      });
    else if (bodyParserType(error) === 'entity.too.large')
      res.status(413).json({
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than ${bodyLimit}.`,
        limit: bodyLimit,
      });
    else if (error instanceof NotUtf8)
      res
        .status(400)
        .json({ code: 'BAD_USER_INPUT', field: '', message: 'The request body is not valid UTF-8.' });
    else if (bodyParserType(error) !== undefined)
      // entity.parse.failed, and the rarer: aborted, a length that does not match the body.
      res
        .status(400)
        .json({ code: 'BAD_USER_INPUT', field: '', message: 'The request body is not valid JSON.' });
    else next(error);
  };
}

/** body-parser marks its own errors with a `type` and a 4xx `status`. */
function bodyParserType(error: unknown): string | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500
    ? type
    : undefined;
}
