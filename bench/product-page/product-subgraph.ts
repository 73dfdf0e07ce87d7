/** The product subgraph as it runs in production (the *_URL and database variables given). */
import { productConfigSchema, startProductService } from '@gaji/product';
import { loadConfig } from '@gaji/platform/config';
import { announceReady } from '../support/service-process.js';

const service = await startProductService(loadConfig(productConfigSchema, { ...process.env, PORT: '0' }));
process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
announceReady({ url: service.url });
