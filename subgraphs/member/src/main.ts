import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { configureTracing } from '@gaji/platform/tracing';
import { memberConfigSchema } from './config.js';
import { startMemberService } from './member.service.js';

configureTracing({ serviceName: 'member' });
const config = loadConfig(memberConfigSchema);
const service = await startMemberService(config, createLogger('member', config.LOG_LEVEL));
service.lifecycle.stopOnSignals(config);
