export * from './context-runtime.js';
