export * from './health.js';
export * from './http-server.js';
export * from './internal-route.js';
export * from './json-depth.js';
export * from './json-errors.js';
export * from './listen.js';
export * from './raw-refusal.js';
export * from './request-timeouts.js';
