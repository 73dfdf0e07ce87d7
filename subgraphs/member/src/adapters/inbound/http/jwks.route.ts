import type { Express } from 'express';
import type { PublicSigningKeys } from '../../../application/ports/session-tokens.js';

/** The public keys verifiers (gateway, subgraphs) use to check access tokens. */
export function mountJwks(app: Express, keys: PublicSigningKeys): void {
  app.get('/.well-known/jwks.json', async (_req, res, next) => {
    try {
      res.set('Cache-Control', 'public, max-age=60').json(await keys.publicJwks());
    } catch (error) {
      next(error);
    }
  });
}
