import { randomUUID } from 'node:crypto';
import { createTokenVerifier } from '@gaji/platform/auth';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { contextFiles, startContext, type RunningContext } from '@gaji/platform/runtime';
import { FindMembers } from './application/find-members/find-members.query.js';
import { LogIn } from './application/log-in/log-in.use-case.js';
import { LogOut } from './application/log-out/log-out.use-case.js';
import { RefreshSession } from './application/refresh-session/refresh-session.use-case.js';
import { SessionStarter } from './application/session-starter.js';
import { SignUp } from './application/sign-up/sign-up.use-case.js';
import { Withdraw } from './application/withdraw/withdraw.use-case.js';
import { memberResolvers } from './adapters/inbound/graphql/resolvers.js';
import { mountJwks } from './adapters/inbound/http/jwks.route.js';
import { ScryptPasswordHasher } from './adapters/outbound/crypto/scrypt-password-hasher.js';
import { SigningKeyRing } from './adapters/outbound/crypto/signing-key-ring.js';
import { createMemberDb } from './adapters/outbound/prisma/member-database.js';
import { PrismaMemberDirectory } from './adapters/outbound/prisma/prisma-member.directory.js';
import { PrismaMemberRepository } from './adapters/outbound/prisma/prisma-member.repository.js';
import { PrismaRefreshTokenStore } from './adapters/outbound/prisma/prisma-refresh-token.store.js';
import type { MemberConfig } from './config.js';

const files = contextFiles('member', import.meta.url);
export const memberTypeDefs = files.typeDefs;

export interface MemberService extends RunningContext {
  jwksUrl: string;
  keys: SigningKeyRing;
}

/** Wires the member context: database, event platform, use cases, GraphQL and JWKS over HTTP. */
export function startMemberService(
  config: MemberConfig,
  logger: Logger = createLogger('member', config.LOG_LEVEL),
): Promise<MemberService> {
  const { MEMBER_DATABASE_URL: databaseUrl } = config;
  const db = createMemberDb(databaseUrl);
  return startContext({ context: 'member', files, databaseUrl, db, config, logger }, async (runtime) => {
    const keys = new SigningKeyRing(db, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      accessTokenTtlMs: config.ACCESS_TOKEN_TTL_SECONDS * 1000,
      scopes: ['member'],
      keyCacheMs: Math.min(30_000, config.JWKS_MAX_AGE_MS),
      onStaleKeys: (error) =>
        logger.warn({ err: error }, 'signing keys could not be re-read; serving the public keys last loaded'),
    });
    await keys.ensureKey();
    await keys.publicJwks(); // loaded once now, they are served from memory through a database outage

    const { transactions, outbox, uow, clock } = runtime;
    const members = new PrismaMemberRepository(transactions, outbox);
    const refreshTokens = new PrismaRefreshTokenStore(
      transactions,
      outbox,
      config.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    );
    const sessions = new SessionStarter(keys, refreshTokens);
    const hasher = new ScryptPasswordHasher(config.PASSWORD_HASH_COST);

    const server = await runtime.serve({
      resolvers: memberResolvers({
        signUp: new SignUp({ members, hasher, sessions, uow, clock, newId: randomUUID }),
        logIn: new LogIn({ members, hasher, refreshTokens, sessions, uow, clock }),
        refreshSession: new RefreshSession({ members, refreshTokens, sessions, uow, clock }),
        logOut: new LogOut({ refreshTokens, uow, clock }),
        withdraw: new Withdraw({ members, refreshTokens, uow, clock }),
        findMembers: new FindMembers(new PrismaMemberDirectory(db)),
      }),
      // The auth server verifies with its own key ring: no HTTP round trip to itself.
      verifyToken: createTokenVerifier({
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        keys: keys.verificationKeys(),
        maxLifetimeSeconds: config.ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
      }),
      routes: (app) => mountJwks(app, keys),
    });
    return { jwksUrl: server.url.replace(/\/graphql$/, '/.well-known/jwks.json'), keys };
  });
}
