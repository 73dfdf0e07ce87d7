export * from './payment-authorization.contract.js';
