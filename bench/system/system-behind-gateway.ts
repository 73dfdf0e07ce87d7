import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

/** What bench/system/whole-system.ts announces once it is ready. */
export interface WholeSystem {
  gatewayUrl: string;
  urls: Record<string, string>;
  jwksUrl: string;
  natsUrl: string;
  databases: { product: string; purchase: string };
  stream: string;
  subjectPrefix: string;
  sellerToken: string;
  sellerId: string;
  productIds: string[];
  tokenFile?: string;
}

export type Gateway = ServiceProcess<{ url: string }>;

/** The whole system and our gateway in front of it, each in its own process. */
export interface SystemBehindGateway {
  system: ServiceProcess<WholeSystem>;
  gateway: Gateway;
  /** Gateway first: it follows the system's stream, which goes when the system stops. */
  stop(): Promise<void>;
}

/**
 * Our gateway (`gateway-bound/our-gateway.ts`) in front of a whole system, with `env` on top
 * (a port shared by replicas, the response cache off…); `entry` names another checkout's copy of
 * that file, to measure its gateway in front of the same system.
 */
export function startOurGateway(
  info: WholeSystem,
  env: Record<string, string> = {},
  entry = 'gateway-bound/our-gateway.ts',
): Promise<Gateway> {
  return startServiceProcess<{ url: string }>(entry, {
    NODE_ENV: 'production',
    // As deploy/docker/service.sh starts the gateway (memory-after-exodus.ts).
    NODE_OPTIONS: '--expose-gc',
    ...info.urls,
    MEMBER_JWKS_URL: info.jwksUrl,
    NATS_URL: info.natsUrl,
    EVENT_STREAM: info.stream,
    EVENT_SUBJECT_PREFIX: info.subjectPrefix,
    ...env,
  });
}

/** The whole system alone, for a benchmark that puts gateways of its own choosing in front of it. */
export function startWholeSystem(
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ServiceProcess<WholeSystem>> {
  return startServiceProcess<WholeSystem>('system/whole-system.ts', env, timeoutMs);
}

/** The whole system with `systemEnv`, then our gateway in front of it with `gatewayEnv`. */
export async function startSystemBehindGateway(
  systemEnv: Record<string, string>,
  systemTimeoutMs: number,
  gatewayEnv: Record<string, string> = {},
): Promise<SystemBehindGateway> {
  const system = await startWholeSystem(systemEnv, systemTimeoutMs);
  let gateway: Gateway;
  try {
    gateway = await startOurGateway(system.info, gatewayEnv);
  } catch (error) {
    // The system holds databases and a stream: a failed gateway must not leave them behind.
    await system.stop();
    throw error;
  }
  return {
    system,
    gateway,
    stop: async () => {
      await gateway.stop();
      await system.stop();
    },
  };
}
