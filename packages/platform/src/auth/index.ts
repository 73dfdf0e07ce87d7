export * from './access-token.js';
export * from './auth-directives.js';
export * from './service-identity.js';
export * from './revocation-list.js';
export * from './resilient-jwks.js';
export * from './verified-token-cache.js';
