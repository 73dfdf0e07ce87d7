export * from './date-time.scalar.js';
export * from './errors.js';
export * from './per-request.js';
export * from './resolver-helpers.js';
export * from './subgraph-server.js';
export * from './text-input.js';
export * from './subscriptions-over-http.js';
export * from './persisted-queries.js';
