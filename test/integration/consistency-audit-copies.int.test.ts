import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  corruptions,
  noDeals,
  startAuditedMarketplace,
  stopEveryService,
  type AuditedMarketplace,
} from '../support/audited-marketplace.js';
import type { TestSystem } from '../support/test-system.js';

/**
 * The copies of the sources (purchase's product projection, My Page, the stream) agree with them:
 * one row corrupted at a time, with every service stopped, each reported by id.
 */
describe('npm run audit:consistency: projections, My Page and the stream', () => {
  let market: AuditedMarketplace;
  let system: TestSystem;
  const deal = noDeals();

  beforeAll(async () => {
    market = await startAuditedMarketplace('audit_copies', deal);
    ({ system } = market);
    await stopEveryService(market.system);
  });
  afterAll(async () => {
    await market?.system.stop();
  });

  describe('with every service stopped, one corrupted row per invariant', () => {
    const { reported, corrupted, products, purchases } = corruptions(() => market);

    it('a product deleted in product that purchase still sells (its ProductDeleted never applied)', () =>
      corrupted(
        () =>
          products(
            `UPDATE products SET deleted_at = now() - interval '1 minute', deletion_reason = 'DELETED_BY_SELLER'
             WHERE id = $1`,
            [deal.onSale],
          ),
        () => reported('purchase-projection-follows-product', deal.onSale),
        () =>
          products(`UPDATE products SET deleted_at = NULL, deletion_reason = NULL WHERE id = $1`, [
            deal.onSale,
          ]),
      ));
    it('a product on sale that purchase holds deleted', () =>
      corrupted(
        () => purchases(`UPDATE product_projection SET deleted_at = now() WHERE id = $1`, [deal.onSale]),
        () => reported('purchase-projection-follows-product', deal.onSale),
        () => purchases(`UPDATE product_projection SET deleted_at = NULL WHERE id = $1`, [deal.onSale]),
      ));
    it('My Page showing a deal other than the sources', async () => {
      const { file } = JSON.parse(readFileSync(join(system.mypageDir, 'current.json'), 'utf8')) as {
        file: string;
      };
      const mypage = (status: string) => {
        const db = new DatabaseSync(join(system.mypageDir, file));
        db.prepare('UPDATE purchases SET status = ? WHERE id = ?').run(status, deal.paid);
        db.close();
      };
      await corrupted(
        async () => mypage('REFUNDED'),
        () => reported('mypage-equals-sources', deal.paid),
        async () => mypage('PAID'),
      );
    });
    it('a published event missing from the stream', async () => {
      const [row] = await products(`SELECT id::text AS id FROM gaji_outbox ORDER BY seq DESC LIMIT 1`, []);
      const id = String(row!.id);
      const nc = await connect({ servers: system.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        const info = await jsm.streams.info(system.stream.stream);
        let seq = 0;
        for (let s = info.state.last_seq; s >= info.state.first_seq && seq === 0; s--) {
          const message = await jsm.streams.getMessage(system.stream.stream, { seq: s }).catch(() => null);
          if (message?.header?.get('Nats-Msg-Id') === id) seq = s;
        }
        expect(seq).toBeGreaterThan(0);
        // Irreversible, so it runs last.
        await jsm.streams.deleteMessage(system.stream.stream, seq);
      } finally {
        await nc.close();
      }
      await reported('stream-matches-outbox', id);
    });
  });
});
