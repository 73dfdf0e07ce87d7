import type { Server } from 'node:http';
import { closeServer } from '@gaji/platform/http';

/** What a running gateway holds open, each closed once on the way out. */
export interface GatewayParts {
  server: Server;
  websockets: { close(): Promise<void> };
  apollo: { stop(): Promise<void> };
  fanout: { stop(): Promise<void> };
  revocations: { stop(): Promise<void> };
  bus: { close(): Promise<void> };
  services: Record<string, { close(): Promise<void> }>;
}

/**
 * Outside in: no new socket or request arrives while what serves them closes, and the event bus
 * the fanout and the revocation feed read from closes only after both have stopped.
 */
export async function stopGateway(parts: GatewayParts): Promise<void> {
  await parts.websockets.close();
  await closeServer(parts.server);
  await parts.apollo.stop();
  await parts.fanout.stop();
  await parts.revocations.stop();
  await parts.bus.close();
  await Promise.all(Object.values(parts.services).map((service) => service.close()));
}
