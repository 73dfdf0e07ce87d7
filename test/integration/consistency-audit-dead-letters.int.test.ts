import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { subjectFor } from '@gaji/contracts';
import { DeadLetterHeader, deadLetterStream, deadLetterSubject } from '@gaji/platform/events';
import { childEnv, eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditConfigFrom, type AuditConfig } from '../../scripts/audit/audit-config.js';
import { auditUntilClean, runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import type { Discrepancy } from '../../scripts/audit/discrepancy.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/**
 * An event a context failed to apply `EVENT_MAX_DELIVERIES` times waits in `<STREAM>_DEAD`, its
 * effect missing, until someone replays it: the auditor reports each dead letter, and — for a
 * ProductDeleted that purchase never applied — the product purchase still sells. Both through the
 * real path: purchase's own consumer fails on the event (a trigger in its database stands for the
 * bug) and dead-letters it; the operator's command replays it once the bug is gone.
 */
describe('the auditor and an event a context never applied', () => {
  let system: TestSystem;
  let config: AuditConfig;
  let seller: Shopper;
  const purchases = (text: string, values: unknown[] = []) =>
    sql(system.databases.purchase.url, text, values);

  beforeAll(async () => {
    // Two deliveries, not ten: the dead letter lands within a second or two.
    system = await TestSystem.start('audit_dead', { env: { EVENT_MAX_DELIVERIES: '2' } });
    seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    config = auditConfigFrom(system.auditEnv());
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('reports a ProductDeleted purchase dead-lettered, and the product purchase still sells, until it is replayed', async () => {
    const product = await seller.register();
    await eventually(async () =>
      expect(
        await purchases(`SELECT id::text FROM product_projection WHERE id = $1`, [product]),
      ).toHaveLength(1),
    );
    expect((await auditUntilClean(config, 30_000)).discrepancies).toEqual([]);

    await purchases(`CREATE FUNCTION refuse_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.deleted_at IS NOT NULL THEN RAISE EXCEPTION 'purchase bug: cannot delete %', NEW.id; END IF;
        RETURN NEW;
      END $$`);
    await purchases(`CREATE TRIGGER refuse_deletion BEFORE INSERT OR UPDATE ON product_projection
      FOR EACH ROW EXECUTE FUNCTION refuse_deletion()`);
    expect(
      (await seller.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: product })).data,
    ).toEqual({
      deleteProduct: true,
    });
    const [deleted] = await sql(
      system.databases.product.url,
      `SELECT id::text FROM gaji_outbox WHERE envelope->>'type' = 'ProductDeleted'`,
    );
    const eventId = String(deleted!.id);

    const byInvariant = (found: Discrepancy[]) =>
      [...found].sort((a, b) => a.invariant.localeCompare(b.invariant));
    const found = await eventually(async () => {
      const { discrepancies } = await runConsistencyAudit(config);
      expect(discrepancies.map((d) => d.invariant)).toContain('dead-letters-replayed');
      return byInvariant(discrepancies);
    }, 20_000);
    expect(found).toEqual([
      {
        invariant: 'dead-letters-replayed',
        ids: { consumer: 'purchase', event: eventId, type: 'ProductDeleted', deadSeq: expect.any(String) },
        detail: expect.stringContaining(`purchase bug: cannot delete ${product}`),
      },
      expect.objectContaining({
        invariant: 'purchase-projection-follows-product',
        ids: { product },
      }),
    ]);
    // The command says so, and exits 1 while the letter waits.
    const env = {
      NATS_URL: system.natsUrl,
      EVENT_STREAM: system.stream.stream,
      EVENT_SUBJECT_PREFIX: system.stream.subjectPrefix,
      LOG_LEVEL: 'silent',
    };
    const command = await run(process.execPath, ['--import', 'tsx', 'scripts/audit/main.ts'], {
      cwd: root,
      env: childEnv({
        ...env,
        MEMBER_DATABASE_URL: system.databases.member.url,
        PRODUCT_DATABASE_URL: system.databases.product.url,
        PURCHASE_DATABASE_URL: system.databases.purchase.url,
        PAYMENT_DATABASE_URL: system.databases.payment.url,
        MYPAGE_DATA_DIR: system.mypageDir,
      }),
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(command.code).toBe(1);
    expect(command.stdout).toMatch(new RegExp(`dead-letters-replayed: .*event ${eventId}`));

    // The bug fixed, the operator replays purchase's dead letters: the deletion is applied at last.
    await purchases(`DROP TRIGGER refuse_deletion ON product_projection`);
    await purchases(`DROP FUNCTION refuse_deletion()`);
    const replayed = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/replay-dead-letters.ts', '--consumer', 'purchase'],
      { cwd: root, env: childEnv(env) },
    );
    expect(replayed.stdout).toContain('1 dead letter(s) of purchase sent back to it');
    expect((await auditUntilClean(config, 30_000)).discrepancies).toEqual([]);
    expect(
      await purchases(`SELECT deleted_at IS NOT NULL AS deleted FROM product_projection WHERE id = $1`, [
        product,
      ]),
    ).toEqual([{ deleted: true }]);
  });

  it('reports a dead letter whose body is no event by the type its subject names, until it is removed', async () => {
    // What a consumer sets aside when a message breaks its contract: no id to read in it.
    const nc = await connect({ servers: system.natsUrl });
    try {
      const js = jetstream(nc);
      const h = headers();
      h.set(DeadLetterHeader.originSubject, subjectFor(system.stream.subjectPrefix, 'ProductRegistered'));
      h.set(DeadLetterHeader.originSeq, '1');
      h.set(DeadLetterHeader.consumer, 'mypage');
      h.set(DeadLetterHeader.reason, 'contract: not JSON');
      h.set(DeadLetterHeader.deliveries, '1');
      h.set(DeadLetterHeader.at, new Date().toISOString());
      const { seq } = await js.publish(deadLetterSubject(system.stream.subjectPrefix, 'mypage'), 'not json', {
        headers: h,
      });
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([
        {
          invariant: 'dead-letters-replayed',
          ids: { consumer: 'mypage', event: 'unreadable', type: 'ProductRegistered', deadSeq: String(seq) },
          detail: expect.stringContaining('contract: not JSON'),
        },
      ]);
      await (await jetstreamManager(nc)).streams.deleteMessage(deadLetterStream(system.stream.stream), seq);
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
    } finally {
      await nc.close();
    }
  });
});
