import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@gaji/platform/logging';
import { eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createLimiterFactory } from '../../src/rate-limits/rate-limit-store.js';
import { RateLimits } from '../../src/rate-limits/rate-limits.js';
import { ClientSockets } from '../../src/subscriptions/client-sockets.js';
import { acceptUpgrades } from '../../src/subscriptions/websocket-upgrade.js';

const SETTINGS = {
  operationsPerAddressPerMinute: 1_000,
  operationsPerMemberPerMinute: 1_000,
  signUpsPerAddressPerHour: 1_000,
  logInFreeFailuresPerAccount: 5,
  logInFreeFailuresPerAddress: 5,
  logInMaxBackoffSeconds: 60,
  logInFailureWindowSeconds: 600,
};

/**
 * Clients that reset their connection in the middle of an upgrade: a browser tab closed, a
 * scanner. Node hands such a socket to the gateway with no 'error' listener of its own.
 */
describe('WebSocket upgrades cut by the client', () => {
  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => void uncaught.push(error);
  afterEach(async () => {
    process.off('uncaughtException', onUncaught);
    uncaught.length = 0;
    wss?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  /** The gateway's upgrade path on a real HTTP server, with the address check taking `checkMs`. */
  async function gateway(checkMs: number) {
    const limiter = await createLimiterFactory({ store: 'memory', bucket: '', nc: undefined as never });
    const rateLimits = RateLimits.create(limiter, SETTINGS);
    // A store slower than memory (NATS across replicas): the window in which a client can leave.
    const admitAddress = rateLimits.admitAddress.bind(rateLimits);
    let checked = 0;
    rateLimits.admitAddress = async (address) => {
      await sleep(checkMs);
      try {
        return await admitAddress(address);
      } finally {
        checked++;
      }
    };
    const sockets = new ClientSockets({
      maxConnectionsPerAddress: 2,
      maxSubscriptionsPerAddress: 10,
      maxLiveCostPerSocket: 20_000,
      maxLiveCostPerAddress: 50_000,
    });
    server = createServer((_req, res) => res.end());
    wss = new WebSocketServer({ noServer: true });
    acceptUpgrades(
      { server, rateLimits, addressOf: () => '198.51.100.7', logger: createLogger('test', 'silent') },
      sockets,
      wss,
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    // The test's own listener: an uncaught error here would have ended the gateway's process.
    process.on('uncaughtException', onUncaught);
    return { port: (server.address() as AddressInfo).port, sockets, checked: () => checked };
  }

  /** Sends an upgrade request and resets the connection at once. */
  function upgradeAndReset(port: number, path: string): Promise<void> {
    return new Promise((resolve) => {
      const client = connect(port, '127.0.0.1', () => {
        client.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          () => client.resetAndDestroy(),
        );
      });
      client.on('error', () => undefined);
      client.on('close', () => resolve());
    });
  }

  it('a reset while its address is checked leaves no error and no slot behind', async () => {
    const { port, sockets, checked } = await gateway(100);
    await Promise.all([upgradeAndReset(port, '/graphql'), upgradeAndReset(port, '/graphql')]);
    await eventually(() => expect(checked()).toBe(2)); // both address checks are over
    await nextTurn(); // and what the upgrade does after its check has run
    expect(uncaught).toEqual([]);
    // Slots held by dead connections would refuse the address's next sockets (429) until restart.
    expect(sockets.size).toBe(0);
  });

  it('a reset as its upgrade is refused leaves no error', async () => {
    const { port } = await gateway(0);
    for (let i = 0; i < 5; i++) await upgradeAndReset(port, '/nowhere');
    await sleep(100);
    expect(uncaught).toEqual([]);
  });
});
