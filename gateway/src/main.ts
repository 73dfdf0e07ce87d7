import { loadConfig } from '@gaji/platform/config';
import { Lifecycle } from '@gaji/platform/lifecycle';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { gatewayConfigSchema } from './config.js';
import { startGateway } from './gateway.js';

configureTracing({ serviceName: 'gateway' });
const config = loadConfig(gatewayConfigSchema);
const logger = createLogger('gateway', config.LOG_LEVEL);
const gateway = await startGateway(config, logger);
const lifecycle = new Lifecycle(logger);
lifecycle.onStop('gateway', () => gateway.stop());
lifecycle.onDrain(() => gateway.drain());
lifecycle.stopOnSignals(config);
