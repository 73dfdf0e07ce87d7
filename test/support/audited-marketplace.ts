import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, eventually } from '@gaji/testkit';
import { expect } from 'vitest';
import { auditConfigFrom, type AuditConfig } from '../../scripts/audit/audit-config.js';
import { auditUntilClean, runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import type { Invariant } from '../../scripts/audit/discrepancy.js';
import { Shopper } from './marketplace.js';
import { sql } from './sql.js';
import { TestSystem } from './test-system.js';

/**
 * The marketplace the consistency-audit tests audit (test/integration/consistency-audit*.int.test.ts):
 * built by real flows through the gateway, then audited until clean.
 */

/** Ids of the deals the marketplace was built with, filled in by `startAuditedMarketplace`. */
export interface Deals {
  paid: string;
  paidProduct: string;
  cancelled: string;
  cancelledProduct: string;
  onSale: string;
}

export const noDeals = (): Deals => ({
  paid: '',
  paidProduct: '',
  cancelled: '',
  cancelledProduct: '',
  onSale: '',
});

export interface AuditedMarketplace {
  system: TestSystem;
  env: Record<string, string>;
  config: AuditConfig;
}

/** A seller with three items: one bought (PAID), one bought and cancelled, one left on sale. */
export async function startAuditedMarketplace(label: string, deal: Deals): Promise<AuditedMarketplace> {
  const system = await TestSystem.start(label);
  const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
  const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
  const [paidProduct, cancelledProduct] = [await seller.register(), await seller.register()];
  deal.onSale = await seller.register(); // one left on sale
  const buy = (productId: string) =>
    eventually(async () => {
      const bought = await buyer.buy(productId);
      expect(bought.data?.buy.status).toBe('PAID');
      return bought.data!.buy.id;
    });
  Object.assign(deal, {
    paidProduct,
    cancelledProduct,
    paid: await buy(paidProduct),
    cancelled: await buy(cancelledProduct),
  });
  expect((await buyer.cancel(deal.cancelled)).data?.cancelPurchase.status).toBe('CANCELLED');

  const env = system.auditEnv();
  const config = auditConfigFrom(env);
  const settled = await auditUntilClean(config, 30_000);
  expect(settled.discrepancies).toEqual([]);
  return { system, env, config };
}

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/** `npm run audit:consistency` as a child process, with `env` and `overrides`: its exit code and output. */
export const auditCli = (env: Record<string, string>, overrides: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/audit/main.ts'], {
    cwd: root,
    env: childEnv({ ...env, ...overrides }),
  })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }));

/** Stops every service, so that nothing repairs a row a test corrupts. */
export async function stopEveryService(system: TestSystem): Promise<void> {
  for (const service of [
    system.gateway,
    system.mypage,
    system.purchase,
    system.payment,
    system.product!,
    system.member,
  ])
    await service.stop();
}

/**
 * The corrupt-audit-restore helpers over `market`, read when called (it is started in a
 * `beforeAll`, after these are made).
 */
export function corruptions(market: () => AuditedMarketplace) {
  const reported = async (invariant: Invariant, id: string) => {
    const { discrepancies } = await runConsistencyAudit(market().config);
    expect(
      discrepancies.filter((d) => d.invariant === invariant).flatMap((d) => Object.values(d.ids).join(' ')),
    ).toEqual(expect.arrayContaining([expect.stringContaining(id)]));
  };
  /** Corrupts, audits, restores: each case sees exactly one broken row. */
  const corrupted = async (
    corrupt: () => Promise<unknown>,
    check: () => Promise<void>,
    restore: () => Promise<unknown>,
  ) => {
    await corrupt();
    try {
      await check();
    } finally {
      await restore();
    }
    expect((await runConsistencyAudit(market().config)).discrepancies).toEqual([]);
  };
  const databases = () => market().system.databases;
  return {
    reported,
    corrupted,
    products: (text: string, values: unknown[]) => sql(databases().product.url, text, values),
    payments: (text: string, values: unknown[]) => sql(databases().payment.url, text, values),
    purchases: (text: string, values: unknown[]) => sql(databases().purchase.url, text, values),
  };
}
