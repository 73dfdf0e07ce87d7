export * from './eventually.js';
export * from './graphql-client.js';
export * from './test-database.js';
export * from './test-stream.js';
export * from './test-prisma.js';
export * from './nats-server.js';
export * from './prisma-schema.js';
export * from './test-token-issuer.js';
