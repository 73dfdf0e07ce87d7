import 'i18next';
import type { ko } from './messages.ko';

// Keys passed to t() are checked against the Korean messages (the one source of keys).
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof ko };
  }
}
