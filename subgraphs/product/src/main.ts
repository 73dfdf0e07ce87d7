import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { productConfigSchema } from './config.js';
import { startProductService } from './product.service.js';

configureTracing({ serviceName: 'product' });
const config = loadConfig(productConfigSchema);
const service = await startProductService(config, createLogger('product', config.LOG_LEVEL));
service.lifecycle.stopOnSignals(config);
