import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { paymentConfigSchema } from './config.js';
import { startPaymentService } from './payment.service.js';

const config = loadConfig(paymentConfigSchema);
const service = await startPaymentService(config, createLogger('payment', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
