export type * from './application-ports.js';
