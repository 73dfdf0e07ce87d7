export * from './context-metrics.js';
export * from './gateway-metrics.js';
export * from './metrics-route.js';
export * from './request-metrics.plugin.js';
export * from './service-metrics.js';
export * from './refusals-at-the-door.js';
