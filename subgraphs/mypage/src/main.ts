import { createLogger, loadConfig } from '@gaji/platform';
import { myPageConfigSchema } from './config.js';
import { startMyPageService } from './mypage.service.js';

const config = loadConfig(myPageConfigSchema);
const service = await startMyPageService(config, createLogger('mypage', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
