import { ConfigError, loadConfig } from '@gaji/platform/config';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../src/config.js';

describe('gateway configuration', () => {
  it('pings graphql-ws sockets every 12 s unless told otherwise, and accepts a period of 1 s', () => {
    expect(loadConfig(gatewayConfigSchema, {}).WS_KEEPALIVE_MS).toBe(12_000);
    expect(loadConfig(gatewayConfigSchema, { WS_KEEPALIVE_MS: '1000' }).WS_KEEPALIVE_MS).toBe(1_000);
  });

  it.each(['999', '200', '5', '0', '-1'])(
    'refuses to start with WS_KEEPALIVE_MS=%s: under 1 s, every socket would be pinged, and a slow one ended, almost at once',
    (value) => {
      const load = () => loadConfig(gatewayConfigSchema, { WS_KEEPALIVE_MS: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/WS_KEEPALIVE_MS: .*at least 1000 ms/);
    },
  );
});
