import type { ValidationRule } from 'graphql';
import { ReservedResponseKeysRule } from './reserved-response-keys.js';

/**
 * The gateway's own validation rules, beside graphql-js's: Apollo Server applies them over HTTP
 * (`validationRules`), the WebSocket server to subscriptions (subscription-documents.ts).
 */
export const GATEWAY_VALIDATION_RULES: readonly ValidationRule[] = [ReservedResponseKeysRule];
