export * from './http-spans.js';
export * from './operation-span.plugin.js';
export * from './spans.js';
export * from './trace-context.js';
export * from './tracing-sdk.js';
