import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DEFAULT_RETENTION } from '@gaji/platform/events';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditConfig } from '../../scripts/audit/audit-config.js';
import { AuditConnections, READS_PER_AUDIT } from '../../scripts/audit/audit-connections.js';
import { takeSnapshot, type AuditSnapshot } from '../../scripts/audit/audit-snapshot.js';
import { checkInvariants } from '../../scripts/audit/invariants.js';
import { ConsistencyAuditor, runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import { auditCli, noDeals, startAuditedMarketplace } from '../support/audited-marketplace.js';
import { sql } from '../support/sql.js';
import type { TestSystem } from '../support/test-system.js';

/**
 * A clean marketplace built by real flows is audited clean (exit 0), read as it should be, through
 * connections the auditor opens once and closes. The invariants' corrupted-row cases are in
 * consistency-audit-settlement, -pending and -copies (test/support/audited-marketplace.ts).
 */
describe('npm run audit:consistency', () => {
  let system: TestSystem;
  let config: AuditConfig;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ system, config, env } = await startAuditedMarketplace('audit', noDeals()));
  });
  afterAll(async () => {
    await system?.stop();
  });

  const cli = (overrides: Record<string, string> = {}) => auditCli(env, overrides);

  it('exits 0 on a state built by real flows, and counts what it read', async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(0);
    expect(stdout).toContain('0 discrepancies');
    expect(stdout).toMatch(/3 products/);
  });

  it('fails (exit 2) when My Page is configured but its directory holds no read model, instead of passing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gaji-no-mypage-'));
    try {
      const { code, stderr } = await cli({ MYPAGE_DATA_DIR: empty });
      expect(code).toBe(2);
      expect(stderr).toContain(`My Page: no read model in ${empty}`);
      const skipped = await cli({ MYPAGE_DATA_DIR: 'off' });
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain('not audited: My Page: MYPAGE_DATA_DIR=off');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads when the stream stored each event, and takes a copy stored before the outbox retention as one whose row was pruned', async () => {
    const connections = new AuditConnections();
    try {
      const snapshot = await takeSnapshot(config, connections);
      const stored = [...snapshot.stream!.storedAt.values()];
      expect(stored.length).toBeGreaterThan(0);
      for (const at of stored)
        expect(Math.abs(at - snapshot.takenAt.product.getTime())).toBeLessThan(3_600_000);
      const unmatched = (s: AuditSnapshot) =>
        checkInvariants(s, config).filter((d) => d.invariant === 'stream-matches-outbox');
      // Every published row deleted, as housekeeping leaves the outbox once they pass the retention:
      // today each event is reported, a retention and a day on none is.
      const pruned = { ...snapshot, outbox: [] };
      expect(unmatched(pruned)).toHaveLength(stored.length);
      const later = new Date(
        snapshot.takenAt.product.getTime() + (DEFAULT_RETENTION.outbox + 1) * 86_400_000,
      );
      const clocks = { member: later, product: later, purchase: later, payment: later };
      expect(unmatched({ ...pruned, takenAt: clocks })).toEqual([]);
    } finally {
      await connections.close();
    }
  });

  describe('its connections', () => {
    /** The auditor's connections, told apart from the services' by an application_name of their own. */
    const named = (databases: AuditConfig['databases'], name: string) =>
      Object.fromEntries(
        Object.entries(databases).map(([context, url]) => {
          const named = new URL(url);
          named.searchParams.set('application_name', name);
          return [context, named.toString()];
        }),
      ) as AuditConfig['databases'];
    const backendsOf = async (name: string) =>
      (
        await sql(
          system.databases.member.url,
          `SELECT datname, pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY datname, pid`,
          [name],
        )
      ).map((row) => `${String(row.datname)} ${String(row.pid)}`);

    it('are opened once however many audits one auditor runs, and all closed at its end', async () => {
      const name = `gaji-audit-${randomUUID().slice(0, 8)}`;
      const auditor = new ConsistencyAuditor({ ...config, databases: named(config.databases, name) });
      let first: string[] = [];
      try {
        expect((await auditor.audit()).discrepancies).toEqual([]);
        first = await backendsOf(name);
        for (let round = 0; round < 3; round++) await auditor.audit();
        expect(await backendsOf(name)).toEqual(first);
      } finally {
        await auditor.close();
      }
      // Every store was read through connections of its own, the same ones each round.
      const count = (context: keyof AuditConfig['databases']) =>
        first.filter((backend) => backend.startsWith(`${system.databases[context].name} `)).length;
      for (const context of ['member', 'product', 'purchase', 'payment'] as const)
        expect(count(context), context).toBeGreaterThan(0);
      await eventually(async () => expect(await backendsOf(name)).toEqual([]));
    });

    it('have room for every read one audit sends at once, were every context in one database', async () => {
      // Reads in flight are counted over all databases together: in one database, all of them
      // would ask one pool at once, and a read queued behind a full pool can time out.
      class CountedConnections extends AuditConnections {
        inFlight = 0;
        most = 0;
        override async query<T extends object>(databaseUrl: string, text: string): Promise<T[]> {
          this.most = Math.max(this.most, ++this.inFlight);
          try {
            return await super.query<T>(databaseUrl, text);
          } finally {
            this.inFlight -= 1;
          }
        }
      }
      const connections = new CountedConnections();
      try {
        await takeSnapshot(config, connections);
      } finally {
        await connections.close();
      }
      // Equal, not only enough: the pool's size stays the count of the reads, not a guess.
      expect(connections.most, 'reads one snapshot sends at once').toBe(READS_PER_AUDIT);
    });

    it('are all closed when the audit could not run', async () => {
      const name = `gaji-audit-${randomUUID().slice(0, 8)}`;
      // Member's database has no payments table: the audit fails part-way, its stores opened.
      const databases = named({ ...config.databases, payment: config.databases.member }, name);
      // Whichever read fails first: the payments query or payment's reader of the provider's books.
      await expect(runConsistencyAudit({ ...config, databases })).rejects.toThrow(/does not exist/);
      await eventually(async () => expect(await backendsOf(name)).toEqual([]));
    });
  });
});
