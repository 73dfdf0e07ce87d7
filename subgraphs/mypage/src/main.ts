import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { myPageConfigSchema } from './config.js';
import { startMyPageService } from './mypage.service.js';

const config = loadConfig(myPageConfigSchema);
const service = await startMyPageService(config, createLogger('mypage', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
