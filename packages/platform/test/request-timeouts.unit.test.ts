import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, loadConfig, requestTimeoutsOf } from '../src/config/config.js';
import { boundedRequests } from '../src/http/request-timeouts.js';

describe('request timeouts', () => {
  it('by default give a client 10 s for its headers and 30 s for the whole request, checked every second', () => {
    const timeouts = requestTimeoutsOf(loadConfig(baseConfigSchema, {}));
    expect(timeouts).toEqual({ headersMs: 10_000, requestMs: 30_000 });
    expect(boundedRequests(timeouts)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      connectionsCheckingInterval: 1_000,
    });
  });

  it('refuses to start with a headers timeout longer than the whole request’s', () => {
    const config = loadConfig(baseConfigSchema, {
      HTTP_HEADERS_TIMEOUT_MS: '40000',
      HTTP_REQUEST_TIMEOUT_MS: '30000',
    });
    expect(() => requestTimeoutsOf(config)).toThrow(ConfigError);
    expect(() => requestTimeoutsOf(config)).toThrow(/HTTP_HEADERS_TIMEOUT_MS \(40000\) exceeds/);
  });
});
