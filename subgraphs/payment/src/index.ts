export { paymentConfigSchema, type PaymentConfig } from './config.js';
export { reconcileEveryMs } from './reconcile-settings.js';
export {
  startPaymentService,
  paymentTypeDefs,
  type PaymentService,
  type PaymentServiceOptions,
} from './payment.service.js';
export {
  SimulatedPaymentProvider,
  type SimulatedCharge,
} from './adapters/outbound/provider/simulated-payment.provider.js';
export {
  readSimulatedProviderLedger,
  PostgresProviderLedger,
} from './adapters/outbound/provider/provider-ledger.js';
export { createPaymentDb, type PaymentDb } from './adapters/outbound/prisma/payment-database.js';
