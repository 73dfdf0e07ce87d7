export * from './payment-authorization.contract.js';
export * from './product-lookup.contract.js';
