import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { productConfigSchema } from './config.js';
import { startProductService } from './product.service.js';

const config = loadConfig(productConfigSchema);
const service = await startProductService(config, createLogger('product', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
