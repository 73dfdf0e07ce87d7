import { createLogger, loadConfig } from '@gaji/platform';
import { purchaseConfigSchema } from './config.js';
import { startPurchaseService } from './purchase.service.js';

const config = loadConfig(purchaseConfigSchema);
const service = await startPurchaseService(config, createLogger('purchase', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
