import express, { type Request, type Router } from 'express';
import { bearerToken } from '../auth/access-token.js';
import { ServiceAuthenticationFailed, type ServiceTokenVerifier } from '../auth/service-identity.js';

type WithRawBody = Request & { rawBody?: Buffer };

/**
 * A router for internal routes: JSON bodies up to `bodyLimit`, and every request must carry a
 * service token signed for exactly this request by a service `verify` trusts (a member's access
 * token is refused). The calling service is in `res.locals.callerService`. Refusals are
 * `401 { code: 'SERVICE_UNAUTHENTICATED' }`.
 */
export function internalRouter(verify: ServiceTokenVerifier, bodyLimit = '16kb'): Router {
  const router = express.Router();
  router.use(
    express.json({
      limit: bodyLimit,
      verify: (req, _res, buffer) => {
        (req as WithRawBody).rawBody = buffer;
      },
    }),
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
