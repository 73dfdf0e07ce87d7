import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { paymentConfigSchema } from './config.js';
import { startPaymentService } from './payment.service.js';

configureTracing({ serviceName: 'payment' });
const config = loadConfig(paymentConfigSchema);
const service = await startPaymentService(config, createLogger('payment', config.LOG_LEVEL));
service.lifecycle.stopOnSignals(config);
