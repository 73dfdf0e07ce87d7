export { purchaseConfigSchema, type PurchaseConfig } from './config.js';
export { startPurchaseService, purchaseTypeDefs, type PurchaseService } from './purchase.service.js';
