import { adminUrl, testNatsUrl } from '@gaji/testkit';
import { ProcessSystem } from '../../test/chaos/support/process-system.js';
import { sellerWithProducts } from './seed-products.js';

/** A system to buy from: its gateway, its seller, its products, and whose CPU a buy costs. */
export interface BuyTarget {
  /** How its subgraphs run: all in one process, or one process each as deployed. */
  topology: string;
  gatewayUrl: string;
  sellerToken: string;
  productIds: string[];
  pids: { system: number[]; gateway: number };
  commands: string[];
  stop(): Promise<void>;
}

/**
 * The whole system as `npm start` runs it and as it is deployed — each subgraph in a process of
 * its own, the gateway in another (test/chaos/support/process-system.ts) — with a seller who
 * listed `products` products, ready once purchase's projection holds them all.
 */
export async function startDeployedSystem(products: number): Promise<BuyTarget> {
  const system = await ProcessSystem.start({ label: 'bench', adminUrl, natsUrl: testNatsUrl });
  try {
    const { seller, productIds } = await sellerWithProducts(
      system.gatewayUrl,
      system.databases.purchase,
      products,
    );
    const pidOf = (name: Parameters<ProcessSystem['service']>[0]) => {
      const pid = system.service(name).pid;
      if (!pid) throw new Error(`${name} is not running`);
      return pid;
    };
    return {
      topology: 'five subgraph processes',
      gatewayUrl: system.gatewayUrl,
      sellerToken: seller.token,
      productIds,
      pids: {
        system: (['member', 'product', 'purchase', 'payment', 'mypage'] as const).map(pidOf),
        gateway: pidOf('gateway'),
      },
      commands: [
        'test/chaos/support/process-system.ts: node --import tsx subgraphs/<each>/src/main.ts (five processes) and gateway/src/main.ts, NODE_ENV=test, LOG_LEVEL=warn, rate limits of LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS',
      ],
      stop: () => system.stop(),
    };
  } catch (error) {
    await system.stop();
    throw error;
  }
}
