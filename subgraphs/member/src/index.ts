export { memberConfigSchema, type MemberConfig } from './config.js';
export { startMemberService, memberTypeDefs, type MemberService } from './member.service.js';
