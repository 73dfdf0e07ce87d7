import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { memberConfigSchema } from './config.js';
import { startMemberService } from './member.service.js';

const config = loadConfig(memberConfigSchema);
const service = await startMemberService(config, createLogger('member', config.LOG_LEVEL));
service.lifecycle.stopOnSignals();
