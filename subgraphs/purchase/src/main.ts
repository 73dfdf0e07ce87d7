import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { purchaseConfigSchema } from './config.js';
import { startPurchaseService } from './purchase.service.js';

configureTracing({ serviceName: 'purchase' });
const config = loadConfig(purchaseConfigSchema);
const service = await startPurchaseService(config, createLogger('purchase', config.LOG_LEVEL));
service.lifecycle.stopOnSignals(config);
