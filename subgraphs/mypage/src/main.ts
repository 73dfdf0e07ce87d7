import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { myPageConfigSchema } from './config.js';
import { startMyPageService } from './mypage.service.js';

configureTracing({ serviceName: 'mypage' });
const config = loadConfig(myPageConfigSchema);
const service = await startMyPageService(config, createLogger('mypage', config.LOG_LEVEL));
service.lifecycle.stopOnSignals(config);
