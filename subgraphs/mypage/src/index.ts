export { myPageConfigSchema, type MyPageConfig } from './config.js';
export { startMyPageService, myPageTypeDefs, type MyPageService } from './mypage.service.js';
export { rebuildReadModel, type RebuildOptions } from './rebuild.js';
