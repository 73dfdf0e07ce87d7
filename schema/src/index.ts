export * from './envelope.js';
export * from './internal/index.js';
export * from './events/index.js';
export * from './parse-event.js';
export * from './recorded-event.js';
export * from './listing-text-limits.js';
export * from './listing-price-limit.js';
export * from './member-limits.js';
